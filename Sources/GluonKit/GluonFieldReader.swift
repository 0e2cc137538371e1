import GatewayBase

/// Typed reads from a (merged) Gluon table that fail with the file, line and dotted key of the offending value.
struct GluonFieldReader {
    let table: LuaTable
    let path: [LuaKey]
    /// Named in errors when the value has no location (a key that is missing).
    let file: String

    init(_ table: LuaTable, path: [LuaKey] = [], file: String) {
        self.table = table
        self.path = path
        self.file = file
    }

    func typeError(_ key: LuaKey, expected: String, found value: LuaValue) -> GluonSiteError {
        let shown: String
        switch value {
        case .string(let text): shown = "string \(Echo.quoted(text))"
        case .table: shown = "a table"
        default: shown = "\(value.typeName) \(LuaTablePrinter.scalarLiteral(value))"
        }
        return GluonSiteError(
            file: table.location(forKey: key)?.file ?? file,
            location: table.location(forKey: key),
            message: "\(Echo.inline((path + [key]).dottedPath, limit: 200)) must be \(expected), found \(shown)"
        )
    }

    func missing(_ key: LuaKey, why: String) -> GluonSiteError {
        GluonSiteError(file: file, message: "\((path + [key]).dottedPath) is missing; \(why)")
    }

    func location(_ key: LuaKey) -> SourceLocation? { table.location(forKey: key) }

    /// `echo: false` for secrets' neighbours and anything a terminal should not see even escaped (keys, endpoints).
    func string(_ key: LuaKey, echo: Bool = true) throws(GluonSiteError) -> String? {
        guard let value = table[key] else { return nil }
        guard case .string(let text) = value else { throw typeError(key, expected: "a string", found: echo ? value : .string("…")) }
        try refuseControlCharacters(text, at: key, echo: echo)
        return text
    }

    /// A DNS name's 253 bytes and a little more: far beyond any name, prefix, key or remote, far below a flood.
    static let longestValue = 255

    /// Every value gwsetup reads from a site.conf ends up in a name, a config or a comment; none has a use for
    /// a control character, and a newline in one could start a live line wherever it is copied.
    func refuseControlCharacters(_ text: String, at key: LuaKey, echo: Bool = true) throws(GluonSiteError) {
        if text.utf8.count > Self.longestValue {
            throw GluonSiteError(file: table.location(forKey: key)?.file ?? file, location: table.location(forKey: key),
                                 message: "\(Echo.inline((path + [key]).dottedPath, limit: 200)) is \(text.utf8.count) bytes long; no value gwsetup reads from a site.conf (a name, prefix, key or remote) needs more than \(Self.longestValue)")
        }
        guard text.unicodeScalars.contains(where: Echo.isControl) else { return }
        throw GluonSiteError(file: table.location(forKey: key)?.file ?? file, location: table.location(forKey: key),
                             message: "\(Echo.inline((path + [key]).dottedPath, limit: 200)) holds a control character" + (echo ? ": \(Echo.quoted(text))" : " (not shown)"))
    }

    func integer(_ key: LuaKey) throws(GluonSiteError) -> Int? {
        guard let value = table[key] else { return nil }
        guard let number = value.integerValue else { throw typeError(key, expected: "an integer", found: value) }
        return number
    }

    func boolean(_ key: LuaKey) throws(GluonSiteError) -> Bool? {
        guard let value = table[key] else { return nil }
        guard case .boolean(let flag) = value else { throw typeError(key, expected: "true or false", found: value) }
        return flag
    }

    func table(_ key: LuaKey) throws(GluonSiteError) -> GluonFieldReader? {
        guard let value = table[key] else { return nil }
        guard case .table(let inner) = value else { throw typeError(key, expected: "a table", found: value) }
        return GluonFieldReader(inner, path: path + [key], file: table.location(forKey: key)?.file ?? file)
    }

    func stringList(_ key: LuaKey) throws(GluonSiteError) -> [String]? {
        guard let value = table[key] else { return nil }
        guard case .table(let inner) = value, let strings = inner.stringArray, inner.isSequence else {
            throw typeError(key, expected: "a list of strings", found: value)
        }
        for (index, text) in strings.enumerated() {
            try GluonFieldReader(inner, path: path + [key], file: file).refuseControlCharacters(text, at: .integer(index + 1))
        }
        return strings
    }

    /// Group and peer names become fastd peer file names on the nodes and gateway names in the site: one plain word.
    static func isPeerName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 63 && name.unicodeScalars.allSatisfy {
            ($0.value >= 0x30 && $0.value <= 0x39) || ($0.value >= 0x41 && $0.value <= 0x5A) || ($0.value >= 0x61 && $0.value <= 0x7A) || "._-".unicodeScalars.contains($0)
        }
    }

    /// Keyed sub-tables in source order (groups, peers); positional entries get their index as name.
    func namedTables(_ key: LuaKey) throws(GluonSiteError) -> [(name: LuaKey, reader: GluonFieldReader)] {
        guard let container = try table(key) else { return [] }
        var result: [(name: LuaKey, reader: GluonFieldReader)] = []
        for entry in container.table.luaEntries {
            guard case .table(let inner) = entry.value else {
                throw container.typeError(entry.key, expected: "a table", found: entry.value)
            }
            if case .string(let name) = entry.key, !Self.isPeerName(name) {
                throw GluonSiteError(file: entry.location?.file ?? container.file, location: entry.location,
                                     message: "\(Echo.inline(container.path.dottedPath, limit: 200)) has the name \(Echo.quoted(name)); a group or peer name is 1 to 63 letters, digits, '.', '_' and '-'")
            }
            result.append((entry.key, GluonFieldReader(inner, path: container.path + [entry.key], file: entry.location?.file ?? container.file)))
        }
        return result
    }
}
