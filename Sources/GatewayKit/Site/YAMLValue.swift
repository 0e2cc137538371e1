import Yams
import GatewayBase

/// A YAML node with its file position, so every type error can say `FILE:LINE:COL`.
struct YAMLValue {
    let node: Node
    let file: String
    /// Dotted path from the document root (`domains.0.fastd.port`), the key of the source map.
    let path: String

    var location: SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    func error(_ message: String) -> SiteError { SiteError(message, at: location) }

    var isNull: Bool {
        // The tag last: comparing it makes Yams resolve it with regular expressions, the slowest part of loading.
        if case .scalar(let scalar) = node { return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string) && scalar.tag == .implicit }
        return false
    }

    /// The scalar exactly as written, for the few places where YAML's own reading is wrong for us.
    var plainText: String? {
        if case .scalar(let scalar) = node { return scalar.string }
        return nil
    }

    /// The string of a site field, checked for control characters and against the field's grammar;
    /// `message` words a refusal from the value and the grammar's reason, where the field has its own wording.
    func string(_ field: SiteField, message: ((_ text: String, _ reason: String) -> String)? = nil) throws -> String {
        let text = try checkedScalar()
        if !field.isCheckedByValidator, let defect = field.grammar.defect(in: text) {
            throw error(message?(text, defect) ?? "\(describeKey) \(FieldGrammar.shown(text)) \(defect)")
        }
        return text
    }

    /// Any scalar as a string, refusing control characters: no value may forge a line in a config or a terminal.
    private func checkedScalar() throws -> String {
        guard case .scalar(let scalar) = node, !isNull else { throw error("\(describeKey) must be a string, not \(kindName)") }
        try Self.refuseControlCharacters(in: scalar.string, what: describeKey, at: self)
        return scalar.string
    }

    static func refuseControlCharacters(in text: String, what: @autoclosure () -> String, at value: YAMLValue) throws {
        guard let bad = text.unicodeScalars.first(where: FieldGrammar.isForbidden) else { return }
        let name = "\\u{\(String(bad.value, radix: 16, uppercase: true))}"
        let names: [Unicode.Scalar: String] = ["\n": "\\n", "\r": "\\r", "\t": "\\t", "\0": "\\0"]
        let named = names[bad] ?? name
        throw value.error("\(what()) contains the control character \(named): \(FieldGrammar.shown(text))")
    }

    func int(in range: ClosedRange<Int>? = nil) throws -> Int {
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = Int(scalar.string) else {
            if case .scalar(let scalar) = node, scalar.style == .plain, let range, Self.isDigits(scalar.string) {
                throw error("\(describeKey) must be between \(range.lowerBound) and \(range.upperBound), not a \(scalar.string.count)-digit number")
            }
            throw error("\(describeKey) must be a whole number, not \(kindName)")
        }
        if let range, !range.contains(value) {
            throw error("\(describeKey) must be between \(range.lowerBound) and \(range.upperBound), not \(value)")
        }
        return value
    }

    /// A whole number too large for Int still reads as a number to the admin, so it is told the range, not the type.
    private static func isDigits(_ text: String) -> Bool {
        let digits = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        return !digits.isEmpty && digits.allSatisfy(\.isASCIIDigit)
    }

    func bool() throws -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { throw error("\(describeKey) must be true or false, not \(kindName)") }
        switch scalar.string {
        case "true", "True", "TRUE", "yes", "on": return true
        case "false", "False", "FALSE", "no", "off": return false
        default: throw error("\(describeKey) must be true or false, not \(Echo.quoted(scalar.string))")
        }
    }

    func sequence() throws -> [YAMLValue] {
        if isNull { return [] }
        guard case .sequence(let sequence) = node else { throw error("\(describeKey) must be a list, not \(kindName)") }
        return sequence.enumerated().map { YAMLValue(node: $1, file: file, path: "\(path).\($0)") }
    }

    func strings(_ field: SiteField) throws -> [String] { try sequence().map { try $0.string(field) } }

    func mapping(knownKeys: [String]) throws -> YAMLMapping {
        guard case .mapping(let mapping) = node else { throw error("\(describeKey) must be a mapping of keys, not \(kindName)") }
        return try YAMLMapping(mapping: mapping, owner: self, knownKeys: knownKeys)
    }

    /// A mapping whose keys are the admin's own words (domain codes, host names), in file order.
    func pairs(keys field: SiteField) throws -> [(key: YAMLValue, value: YAMLValue)] {
        if isNull { return [] }
        guard case .mapping(let mapping) = node else { throw error("\(describeKey) must be a mapping, not \(kindName)") }
        var seen: Set<String> = []
        return try mapping.map { keyNode, valueNode in
            let key = YAMLValue(node: keyNode, file: file, path: path)
            let name = try key.string(field)
            guard seen.insert(name).inserted else { throw key.error("\(Echo.quoted(name)) is given twice") }
            return (key, YAMLValue(node: valueNode, file: file, path: "\(path).\(name)"))
        }
    }

    /// The last path component, as the admin wrote it, for messages.
    var describeKey: String {
        guard let last = path.split(separator: ".").last.map(String.init) else { return "the site file" }
        if Int(last) != nil { return "item \(last) of '\(path.split(separator: ".").dropLast().last ?? "")'" }
        return "'\(last)'"
    }

    var kindName: String {
        switch node {
        case .scalar(let scalar): isNull ? "empty" : Echo.quoted(scalar.string)
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}

/// The keys of one YAML mapping, refusing unknown or repeated ones with a "did you mean".
struct YAMLMapping {
    let owner: YAMLValue
    private let values: [String: YAMLValue]

    init(mapping: Node.Mapping, owner: YAMLValue, knownKeys: [String]) throws {
        self.owner = owner
        var values: [String: YAMLValue] = [:]
        for (keyNode, valueNode) in mapping {
            let keyValue = YAMLValue(node: keyNode, file: owner.file, path: owner.path)
            guard case .scalar(let scalar) = keyNode else { throw keyValue.error("keys must be plain words, not \(keyValue.kindName)") }
            let key = scalar.string
            guard knownKeys.contains(key) else {
                try YAMLValue.refuseControlCharacters(in: key, what: "a key", at: keyValue)
                let hint = Suggestion.closest(to: key, among: knownKeys).map { "; did you mean '\($0)'?" } ?? ""
                let context = owner.path.isEmpty ? "at the top level" : "in '\(owner.path)'"
                throw keyValue.error("unknown key \(Echo.quoted(key)) \(context)\(hint)")
            }
            guard values[key] == nil else { throw keyValue.error("'\(key)' is given twice") }
            values[key] = YAMLValue(node: valueNode, file: owner.file, path: owner.path.isEmpty ? key : "\(owner.path).\(key)")
        }
        self.values = values
    }

    /// The value under `key`, or nil when it is absent or written as null.
    subscript(key: String) -> YAMLValue? {
        guard let value = values[key], !value.isNull else { return nil }
        return value
    }

    func required(_ key: String) throws -> YAMLValue {
        guard let value = self[key] else {
            let context = owner.path.isEmpty ? "the site file" : "'\(owner.path)'"
            throw owner.error("\(context) needs '\(key)'")
        }
        return value
    }
}

/// "Did you mean" for misspelt keys: the closest known word within a small edit distance.
enum Suggestion {
    /// One edit (or swapped neighbours) per three letters, at least one: `ntp` must not suggest `mtu`.
    /// Words longer than this get no suggestion: the distance costs length², and no key is that long.
    static let maxWordLength = 64

    static func closest(to word: String, among candidates: [String]) -> String? {
        guard word.utf8.count <= maxWordLength else { return nil }
        let limit = max(1, word.count / 3)
        // A length difference beyond the limit is already too many edits; skip those without the table.
        let scored = candidates.filter { abs($0.count - word.count) <= limit }.map { ($0, distance(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= limit ? best.0 : nil
    }

    /// Edits to turn `a` into `b`, counting a swap of two neighbours as one edit (`nmae` → `name`).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
