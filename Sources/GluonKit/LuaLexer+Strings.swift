import GatewayBase

/// String literals: quoted strings with Lua escapes and long brackets, decoded to exact bytes before becoming Swift strings.
extension LuaLexer {
    /// Reads `[==[ … ]==]` (the lexer is at the first `[`); a newline right after the opening is dropped, as in Lua.
    mutating func readLongBracket(level: Int, start: SourceLocation, what: String) throws(GluonParseError) -> String {
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

    private func makeString(_ content: [UInt8], start: SourceLocation) throws(GluonParseError) -> String {
        guard let text = String(validating: content, as: UTF8.self) else {
            throw GluonParseError(at: start, "string is not valid UTF-8")
        }
        return text
    }

    mutating func readQuotedString(start: SourceLocation) throws(GluonParseError) -> String {
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
}
