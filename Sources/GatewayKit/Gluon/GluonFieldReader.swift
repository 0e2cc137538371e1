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
        case .string(let text): shown = "string '\(text)'"
        case .table: shown = "a table"
        default: shown = "\(value.typeName) \(LuaTablePrinter.scalarLiteral(value))"
        }
        return GluonSiteError(
            file: table.location(forKey: key)?.file ?? file,
            location: table.location(forKey: key),
            message: "\((path + [key]).dottedPath) must be \(expected), found \(shown)"
        )
    }

    func missing(_ key: LuaKey, why: String) -> GluonSiteError {
        GluonSiteError(file: file, message: "\((path + [key]).dottedPath) is missing; \(why)")
    }

    func location(_ key: LuaKey) -> LuaSourceLocation? { table.location(forKey: key) }

    func string(_ key: LuaKey) throws(GluonSiteError) -> String? {
        guard let value = table[key] else { return nil }
        guard case .string(let text) = value else { throw typeError(key, expected: "a string", found: value) }
        return text
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
        return strings
    }

    /// Keyed sub-tables in source order (groups, peers); positional entries get their index as name.
    func namedTables(_ key: LuaKey) throws(GluonSiteError) -> [(name: LuaKey, reader: GluonFieldReader)] {
        guard let container = try table(key) else { return [] }
        var result: [(name: LuaKey, reader: GluonFieldReader)] = []
        for entry in container.table.luaEntries {
            guard case .table(let inner) = entry.value else {
                throw container.typeError(entry.key, expected: "a table", found: entry.value)
            }
            result.append((entry.key, GluonFieldReader(inner, path: container.path + [entry.key], file: entry.location?.file ?? container.file)))
        }
        return result
    }
}
