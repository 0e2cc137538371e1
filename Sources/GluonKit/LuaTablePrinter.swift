/// Writes a `LuaTable` back as site.conf text that Gluon (and `LuaTableParser`) reads to the same table.
public struct LuaTablePrinter: Sendable {
    /// One level of indentation.
    public var indent: String
    /// Lists of plain values stay on one line while the line fits in this many characters.
    public var maximumLineWidth: Int

    public init(indent: String = "  ", maximumLineWidth: Int = 100) {
        self.indent = indent
        self.maximumLineWidth = maximumLineWidth
    }

    /// The whole file: the table and a final newline. NaN (which no literal can express) prints as `(0/0)`.
    public func print(_ table: LuaTable) -> String {
        var output = ""
        write(table, level: 0, column: 0, into: &output)
        output += "\n"
        return output
    }

    private func write(_ table: LuaTable, level: Int, column: Int, into output: inout String) {
        if table.array.isEmpty && table.entries.isEmpty {
            output += "{}"
            return
        }
        if table.entries.isEmpty, let inline = inlineForm(of: table), column + inline.count <= maximumLineWidth {
            output += inline
            return
        }
        let innerIndent = String(repeating: indent, count: level + 1)
        output += "{\n"
        for value in table.array {
            output += innerIndent
            write(value, level: level + 1, column: innerIndent.count, into: &output)
            output += ",\n"
        }
        for entry in table.entries {
            let key = Self.keyText(entry.key)
            output += innerIndent + key + " = "
            write(entry.value, level: level + 1, column: innerIndent.count + key.count + 3, into: &output)
            output += ",\n"
        }
        output += String(repeating: indent, count: level) + "}"
    }

    private func write(_ value: LuaValue, level: Int, column: Int, into output: inout String) {
        switch value {
        case .table(let table):
            write(table, level: level, column: column, into: &output)
        case .string(let text):
            output += Self.stringLiteral(text, allowLongBracket: true)
        default:
            output += Self.scalarLiteral(value)
        }
    }

    /// `{ 'a', 'b' }` for a list of plain values, nil when any value is a table.
    private func inlineForm(of table: LuaTable) -> String? {
        var parts: [String] = []
        for value in table.array {
            if case .table = value { return nil }
            if case .string(let text) = value {
                parts.append(Self.stringLiteral(text, allowLongBracket: false))
            } else {
                parts.append(Self.scalarLiteral(value))
            }
        }
        return "{ " + parts.joined(separator: ", ") + " }"
    }

    /// Literal text of a non-table value.
    public static func scalarLiteral(_ value: LuaValue) -> String {
        switch value {
        case .string(let text): stringLiteral(text, allowLongBracket: false)
        case .integer(let number): integerLiteral(number)
        case .float(let number): floatLiteral(number)
        case .boolean(let flag): flag ? "true" : "false"
        case .nil: "nil"
        case .table: "{…}"
        }
    }

    static func integerLiteral(_ number: Int) -> String {
        // -9223372036854775808 would be read as minus a too-large (float) literal; hex wraps to the same integer.
        number == Int.min ? "0x8000000000000000" : String(number)
    }

    static func floatLiteral(_ number: Double) -> String {
        if number.isNaN { return "(0/0)" }
        if number.isInfinite { return number < 0 ? "-1e999" : "1e999" }
        // Swift's shortest round-trip form always has a '.' or an exponent, so it reads back as a float.
        return "\(number)"
    }

    static func keyText(_ key: LuaKey) -> String {
        switch key {
        case .string(let name) where isIdentifier(name):
            name
        case .string(let name):
            "[" + stringLiteral(name, allowLongBracket: false) + "]"
        case .integer(let index):
            "[" + integerLiteral(index) + "]"
        }
    }

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, !LuaToken.reservedWords.contains(name) else { return false }
        func isLetter(_ byte: UInt8) -> Bool {
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || byte == 0x5F
        }
        return isLetter(first) && name.utf8.allSatisfy { isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    /// A quoted string, or a long bracket for multi-line text that has no other control characters.
    static func stringLiteral(_ text: String, allowLongBracket: Bool) -> String {
        if allowLongBracket, text.contains("\n"), text.unicodeScalars.allSatisfy({ $0 == "\n" || $0 == "\t" || $0.value >= 0x20 && $0.value != 0x7F }) {
            var level = 0
            // Lua 5.1 (Gluon's) also refuses a nested `[[` inside a level-0 long string, so that opener counts too.
            while (text + "]").contains("]" + String(repeating: "=", count: level) + "]")
                    || text.contains("[" + String(repeating: "=", count: level) + "[") { level += 1 }
            let equals = String(repeating: "=", count: level)
            // The newline after the opening bracket is dropped by Lua, so text that starts with a newline survives.
            return "[" + equals + "[\n" + text + "]" + equals + "]"
        }
        let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var literal = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": literal += "\\\\"
            case "\n": literal += "\\n"
            case "\r": literal += "\\r"
            case "\t": literal += "\\t"
            case Unicode.Scalar(String(quote))!: literal += "\\" + String(quote)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    // Three digits, so a following digit in the text cannot extend the escape.
                    let digits = String(scalar.value)
                    literal += "\\" + String(repeating: "0", count: 3 - digits.count) + digits
                } else {
                    literal.unicodeScalars.append(scalar)
                }
            }
        }
        literal.append(quote)
        return literal
    }
}
