/// Turns the bytes of a site.conf into tokens; works on UTF-8 bytes so large files stay fast and strings keep their exact bytes.
struct LuaLexer {
    private let bytes: [UInt8]
    private let file: String
    private var offset = 0
    private var line = 1
    private var lineStart = 0

    init(source: String, file: String) {
        var bytes = Array(source.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        self.bytes = bytes
        self.file = file
    }

    /// Last column computed on the current line, so long lines are not recounted from their start for every token.
    private var columnCache = (offset: 0, column: 1)

    /// The position of `offset`, with the column counted in Unicode scalars.
    private mutating func location(at position: Int) -> LuaSourceLocation {
        var (index, column) = columnCache.offset >= lineStart && columnCache.offset <= position ? columnCache : (lineStart, 1)
        while index < position {
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        columnCache = (position, column)
        return LuaSourceLocation(file: file, line: line, column: column)
    }

    private var current: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    private func byte(at index: Int) -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private func isNewline(_ byte: UInt8?) -> Bool { byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") }

    /// Consumes one line break (`\n`, `\r`, `\r\n` or `\n\r`) and starts a new line.
    private mutating func consumeNewline() {
        let first = bytes[offset]
        offset += 1
        if let second = current, isNewline(second), second != first { offset += 1 }
        line += 1
        lineStart = offset
    }

    mutating func next() throws(GluonParseError) -> LuaToken {
        try skipWhitespaceAndComments()
        let start = location(at: offset)
        guard let byte = current else { return LuaToken(kind: .endOfFile, location: start) }

        if isNameStart(byte) {
            let begin = offset
            while let next = current, isNameStart(next) || isDigit(next) { offset += 1 }
            let word = String(decoding: bytes[begin..<offset], as: UTF8.self)
            let kind: LuaToken.Kind = LuaToken.reservedWords.contains(word) ? .keyword(word) : .name(word)
            return LuaToken(kind: kind, location: start)
        }
        if isDigit(byte) || (byte == UInt8(ascii: ".") && self.byte(at: offset + 1).map(isDigit) == true) {
            return LuaToken(kind: .number(try readNumber(start: start)), location: start)
        }
        switch byte {
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            return LuaToken(kind: .string(try readQuotedString(start: start)), location: start)
        case UInt8(ascii: "["):
            if let level = longBracketLevel(at: offset) {
                return LuaToken(kind: .string(try readLongBracket(level: level, start: start, what: "long string")), location: start)
            }
            if self.byte(at: offset + 1) == UInt8(ascii: "=") {
                throw GluonParseError(at: start, "invalid long string delimiter; expected '[=…=[' ")
            }
            offset += 1
            return LuaToken(kind: .symbol("["), location: start)
        default:
            return LuaToken(kind: .symbol(try readSymbol(start: start)), location: start)
        }
    }

    private func isNameStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_")
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A")) + 10
        default: nil
        }
    }

    private mutating func skipWhitespaceAndComments() throws(GluonParseError) {
        while let byte = current {
            switch byte {
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                consumeNewline()
            case UInt8(ascii: " "), UInt8(ascii: "\t"), 0x0B, 0x0C:
                offset += 1
            case UInt8(ascii: "-") where self.byte(at: offset + 1) == UInt8(ascii: "-"):
                let start = location(at: offset)
                offset += 2
                if current == UInt8(ascii: "["), let level = longBracketLevel(at: offset) {
                    _ = try readLongBracket(level: level, start: start, what: "block comment")
                } else {
                    while let next = current, !isNewline(next) { offset += 1 }
                }
            default:
                return
            }
        }
    }

    /// The level of a long bracket `[==[` starting at `index`, or nil if there is none.
    private func longBracketLevel(at index: Int) -> Int? {
        guard byte(at: index) == UInt8(ascii: "[") else { return nil }
        var level = 0
        while byte(at: index + 1 + level) == UInt8(ascii: "=") { level += 1 }
        return byte(at: index + 1 + level) == UInt8(ascii: "[") ? level : nil
    }

    /// Reads `[==[ … ]==]` (the lexer is at the first `[`); a newline right after the opening is dropped, as in Lua.
    private mutating func readLongBracket(level: Int, start: LuaSourceLocation, what: String) throws(GluonParseError) -> String {
        offset += level + 2
        if let byte = current, isNewline(byte) { consumeNewline() }
        var content: [UInt8] = []
        while let byte = current {
            if byte == UInt8(ascii: "]") {
                var equals = 0
                while self.byte(at: offset + 1 + equals) == UInt8(ascii: "=") { equals += 1 }
                if equals == level, self.byte(at: offset + 1 + equals) == UInt8(ascii: "]") {
                    offset += level + 2
                    return try makeString(content, start: start)
                }
                content.append(byte)
                offset += 1
            } else if isNewline(byte) {
                consumeNewline()
                content.append(UInt8(ascii: "\n"))
            } else {
                content.append(byte)
                offset += 1
            }
        }
        throw GluonParseError(at: start, "unterminated \(what): no closing ']\(String(repeating: "=", count: level))]' before the end of the file")
    }

    private func makeString(_ content: [UInt8], start: LuaSourceLocation) throws(GluonParseError) -> String {
        guard let text = String(validating: content, as: UTF8.self) else {
            throw GluonParseError(at: start, "string is not valid UTF-8")
        }
        return text
    }

    private mutating func readQuotedString(start: LuaSourceLocation) throws(GluonParseError) -> String {
        let quote = bytes[offset]
        offset += 1
        var content: [UInt8] = []
        while true {
            guard let byte = current, !isNewline(byte) else {
                throw GluonParseError(at: start, "unterminated string: missing closing \(quote == UInt8(ascii: "'") ? "'" : "\"") on this line")
            }
            if byte == quote {
                offset += 1
                return try makeString(content, start: start)
            }
            if byte == UInt8(ascii: "\\") {
                try readEscape(into: &content)
            } else {
                content.append(byte)
                offset += 1
            }
        }
    }

    /// Decodes one escape sequence (the lexer is at the backslash) the way Lua 5.4 does.
    private mutating func readEscape(into content: inout [UInt8]) throws(GluonParseError) {
        let escapeStart = location(at: offset)
        offset += 1
        guard let byte = current else {
            throw GluonParseError(at: escapeStart, "unterminated string: backslash at the end of the file")
        }
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "a"): 0x07, UInt8(ascii: "b"): 0x08, UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A,
            UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09, UInt8(ascii: "v"): 0x0B, UInt8(ascii: "\\"): 0x5C,
            UInt8(ascii: "\""): 0x22, UInt8(ascii: "'"): 0x27,
        ]
        if let decoded = simple[byte] {
            content.append(decoded)
            offset += 1
            return
        }
        if isNewline(byte) {
            consumeNewline()
            content.append(UInt8(ascii: "\n"))
            return
        }
        if isDigit(byte) {
            var value = 0
            var digits = 0
            while digits < 3, let next = current, isDigit(next) {
                value = value * 10 + Int(next - UInt8(ascii: "0"))
                offset += 1
                digits += 1
            }
            guard value <= 255 else {
                throw GluonParseError(at: escapeStart, "decimal escape '\\\(value)' is larger than 255")
            }
            content.append(UInt8(value))
            return
        }
        switch byte {
        case UInt8(ascii: "x"):
            offset += 1
            guard let high = current.flatMap(hexValue), let low = self.byte(at: offset + 1).flatMap(hexValue) else {
                throw GluonParseError(at: escapeStart, "'\\x' must be followed by exactly two hexadecimal digits")
            }
            offset += 2
            content.append(UInt8(high * 16 + low))
        case UInt8(ascii: "z"):
            offset += 1
            while let next = current {
                if isNewline(next) {
                    consumeNewline()
                } else if next == UInt8(ascii: " ") || next == UInt8(ascii: "\t") || next == 0x0B || next == 0x0C {
                    offset += 1
                } else {
                    break
                }
            }
        case UInt8(ascii: "u"):
            offset += 1
            guard current == UInt8(ascii: "{") else {
                throw GluonParseError(at: escapeStart, "'\\u' must be followed by '{hex digits}'")
            }
            offset += 1
            var value = 0
            var digits = 0
            while let next = current, let digit = hexValue(next) {
                value = value * 16 + digit
                digits += 1
                offset += 1
                guard value <= 0x10FFFF else {
                    throw GluonParseError(at: escapeStart, "'\\u{…}' is beyond the last Unicode code point U+10FFFF")
                }
            }
            guard digits > 0, current == UInt8(ascii: "}") else {
                throw GluonParseError(at: escapeStart, "'\\u{' must be followed by hexadecimal digits and '}'")
            }
            offset += 1
            guard let scalar = Unicode.Scalar(value) else {
                throw GluonParseError(at: escapeStart, "'\\u{\(String(value, radix: 16))}' is a surrogate, not a Unicode scalar")
            }
            content.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
            let shown = String(decoding: [byte], as: UTF8.self)
            throw GluonParseError(at: escapeStart, "invalid escape sequence '\\\(shown)' in string")
        }
    }

    /// Reads a numeral the way Lua does: digits, dots, exponents and any letters glued to them, then checks the whole lexeme.
    private mutating func readNumber(start: LuaSourceLocation) throws(GluonParseError) -> LuaValue {
        let begin = offset
        let isHex = bytes[offset] == UInt8(ascii: "0") && (byte(at: offset + 1) == UInt8(ascii: "x") || byte(at: offset + 1) == UInt8(ascii: "X"))
        if isHex { offset += 2 }
        let exponentMarkers: Set<UInt8> = isHex ? [UInt8(ascii: "p"), UInt8(ascii: "P")] : [UInt8(ascii: "e"), UInt8(ascii: "E")]
        while let byte = current {
            if exponentMarkers.contains(byte) {
                offset += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { offset += 1 }
            } else if isDigit(byte) || isNameStart(byte) || byte == UInt8(ascii: ".") {
                offset += 1
            } else {
                break
            }
        }
        let lexeme = String(decoding: bytes[begin..<offset], as: UTF8.self)
        guard let value = isHex ? Self.hexNumber(lexeme) : Self.decimalNumber(lexeme) else {
            throw GluonParseError(at: start, "malformed number '\(lexeme)'")
        }
        return value
    }

    private static func decimalNumber(_ lexeme: String) -> LuaValue? {
        var sawDigit = false, sawDot = false, sawExponent = false, exponentDigits = false
        var previous: Character = " "
        for character in lexeme {
            switch character {
            case "0"..."9":
                if sawExponent { exponentDigits = true } else { sawDigit = true }
            case ".":
                guard !sawDot, !sawExponent else { return nil }
                sawDot = true
            case "e", "E":
                guard !sawExponent, sawDigit else { return nil }
                sawExponent = true
            case "+", "-":
                guard previous == "e" || previous == "E" else { return nil }
            default:
                return nil
            }
            previous = character
        }
        guard sawDigit, !sawExponent || exponentDigits else { return nil }
        if !sawDot, !sawExponent, let integer = Int(lexeme) { return .integer(integer) }
        guard let double = Double(lexeme) else { return nil }
        return .float(double)
    }

    private static func hexNumber(_ lexeme: String) -> LuaValue? {
        let body = lexeme.dropFirst(2)
        var mantissaDigits = 0, sawDot = false, sawExponent = false, exponentDigits = 0
        var previous: Character = "x"
        for character in body {
            if sawExponent {
                if character.isASCII, character.isNumber {
                    exponentDigits += 1
                } else if character == "+" || character == "-" {
                    guard previous == "p" || previous == "P" else { return nil }
                } else {
                    return nil
                }
            } else if character.isHexDigit {
                mantissaDigits += 1
            } else if character == "." {
                guard !sawDot else { return nil }
                sawDot = true
            } else if character == "p" || character == "P" {
                sawExponent = true
            } else {
                return nil
            }
            previous = character
        }
        guard mantissaDigits > 0, !sawExponent || exponentDigits > 0 else { return nil }
        if !sawDot, !sawExponent {
            // Lua 5.3: hexadecimal integers wrap around modulo 2^64.
            var value: UInt64 = 0
            for character in body { value = value &* 16 &+ UInt64(character.hexDigitValue!) }
            return .integer(Int(bitPattern: UInt(value)))
        }
        let text = sawExponent ? String(lexeme) : String(lexeme) + "p0"
        guard let double = Double(text) else { return nil }
        return .float(double)
    }

    private mutating func readSymbol(start: LuaSourceLocation) throws(GluonParseError) -> String {
        let first = bytes[offset]
        let second = byte(at: offset + 1)
        let third = byte(at: offset + 2)
        func take(_ symbol: String, _ length: Int) -> String {
            offset += length
            return symbol
        }
        switch UnicodeScalar(first) {
        case "{": return take("{", 1)
        case "}": return take("}", 1)
        case "]": return take("]", 1)
        case "(": return take("(", 1)
        case ")": return take(")", 1)
        case ",": return take(",", 1)
        case ";": return take(";", 1)
        case "+": return take("+", 1)
        case "-": return take("-", 1)
        case "*": return take("*", 1)
        case "%": return take("%", 1)
        case "^": return take("^", 1)
        case "#": return take("#", 1)
        case "&": return take("&", 1)
        case "|": return take("|", 1)
        case "=": return second == UInt8(ascii: "=") ? take("==", 2) : take("=", 1)
        case "~": return second == UInt8(ascii: "=") ? take("~=", 2) : take("~", 1)
        case "/": return second == UInt8(ascii: "/") ? take("//", 2) : take("/", 1)
        case ":": return second == UInt8(ascii: ":") ? take("::", 2) : take(":", 1)
        case "<":
            if second == UInt8(ascii: "=") { return take("<=", 2) }
            return second == UInt8(ascii: "<") ? take("<<", 2) : take("<", 1)
        case ">":
            if second == UInt8(ascii: "=") { return take(">=", 2) }
            return second == UInt8(ascii: ">") ? take(">>", 2) : take(">", 1)
        case ".":
            guard second == UInt8(ascii: ".") else { return take(".", 1) }
            return third == UInt8(ascii: ".") ? take("...", 3) : take("..", 2)
        default:
            let scalarLength = max(1, Self.utf8Length(leadingByte: first))
            let end = min(bytes.count, offset + scalarLength)
            let shown = String(decoding: bytes[offset..<end], as: UTF8.self)
            throw GluonParseError(at: start, "unexpected character '\(shown)'")
        }
    }

    private static func utf8Length(leadingByte byte: UInt8) -> Int {
        switch byte {
        case 0xF0...: 4
        case 0xE0...: 3
        case 0xC0...: 2
        default: 1
        }
    }
}
