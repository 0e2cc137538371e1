/// One word of a rule line with the column it starts at, so errors can point at it.
struct RuleToken: Hashable, Sendable {
    var text: String
    /// 1-based column of the token's first character.
    var column: Int
    /// Written in quotes: always a value, never an option or `!`.
    var quoted: Bool
}

/// Splits a line the way iptables-restore does: blanks separate words, `"…"` and `'…'` group them, `\"` escapes.
enum RuleTokenizer {
    struct Failure: Error {
        var column: Int
        var message: String
    }

    /// `columnOffset` shifts columns for text that starts after an indent.
    static func tokenize(_ line: Substring, columnOffset: Int = 0) throws(Failure) -> [RuleToken] {
        var tokens: [RuleToken] = []
        let bytes = Array(line.utf8)
        let isASCII = bytes.allSatisfy { $0 < 0x80 }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") {
                index += 1
                continue
            }
            let start = index
            var word: [UInt8] = []
            var quoted = false
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") { break }
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    let quote = byte
                    let opened = index
                    quoted = true
                    index += 1
                    var closed = false
                    while index < bytes.count {
                        let inner = bytes[index]
                        if inner == UInt8(ascii: "\\") && index + 1 < bytes.count
                            && (bytes[index + 1] == quote || bytes[index + 1] == UInt8(ascii: "\\")) {
                            word.append(bytes[index + 1])
                            index += 2
                            continue
                        }
                        if inner == quote {
                            closed = true
                            index += 1
                            break
                        }
                        word.append(inner)
                        index += 1
                    }
                    if !closed { throw Failure(column: opened + 1, message: "unterminated quote") }
                    continue
                }
                if byte == UInt8(ascii: "\\") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\"") {
                    word.append(UInt8(ascii: "\""))
                    index += 2
                    continue
                }
                word.append(byte)
                index += 1
            }
            tokens.append(RuleToken(text: String(decoding: word, as: UTF8.self), column: columnOffset + (isASCII ? start + 1 : column(of: start, in: bytes)), quoted: quoted))
        }
        return tokens
    }

    /// Columns count characters, not bytes, so a comment with umlauts still points at the right place.
    private static func column(of byteOffset: Int, in bytes: [UInt8]) -> Int {
        var column = 1
        for index in 0..<byteOffset where bytes[index] & 0xC0 != 0x80 { column += 1 }
        return column
    }
}
