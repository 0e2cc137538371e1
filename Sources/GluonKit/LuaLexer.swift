import GatewayBase

/// Turns the bytes of a site.conf into tokens; works on UTF-8 bytes so large files stay fast and strings keep their exact bytes.
struct LuaLexer {
    let bytes: [UInt8]
    private let file: String
    var offset = 0
    var line = 1
    var lineStart = 0

    init(source: String, file: String) {
        var bytes = Array(source.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        self.bytes = bytes
        self.file = file
    }

    /// Last column computed on the current line, so long lines are not recounted from their start for every token.
    private var columnCache = (offset: 0, column: 1)

    /// The position of `offset`, with the column counted in Unicode scalars.
    mutating func location(at position: Int) -> SourceLocation {
        var (index, column) = columnCache.offset >= lineStart && columnCache.offset <= position ? columnCache : (lineStart, 1)
        while index < position {
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        columnCache = (position, column)
        return SourceLocation(file: file, line: line, column: column)
    }

    var current: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    func byte(at index: Int) -> UInt8? { index < bytes.count ? bytes[index] : nil }

    func isNewline(_ byte: UInt8?) -> Bool { byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") }

    /// Consumes one line break (`\n`, `\r`, `\r\n` or `\n\r`) and starts a new line.
    mutating func consumeNewline() {
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
                throw GluonParseError(at: start, "invalid long string delimiter; expected '[=…=[' with the same number of '='")
            }
            offset += 1
            return LuaToken(kind: .symbol("["), location: start)
        default:
            return LuaToken(kind: .symbol(try readSymbol(start: start)), location: start)
        }
    }

    func isNameStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_")
    }

    func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    func hexValue(_ byte: UInt8) -> Int? {
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

    private mutating func readSymbol(start: SourceLocation) throws(GluonParseError) -> String {
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
