import GatewayBase

/// Numerals: Lua reads a whole alphanumeric run and then judges it, so `3000g` is one malformed number, not 3000 and a name.
extension LuaLexer {
    /// Reads a numeral the way Lua does: digits, dots, exponents and any letters glued to them, then checks the whole lexeme.
    mutating func readNumber(start: SourceLocation) throws(GluonParseError) -> LuaValue {
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
}
