/// How any value read from a file or flag is shown back in a message: quoted, control characters escaped
/// and long values cut, so a hostile value can neither forge terminal lines nor flood the screen.
public enum Echo {
    /// Characters kept before a value is cut; enough for any legitimate name, address or key.
    public static let defaultLimit = 60

    /// `'value'`, with control characters escaped and anything past `limit` characters cut, its length named.
    public static func quoted(_ value: some StringProtocol, limit: Int = defaultLimit) -> String {
        "'\(inline(value, limit: limit))'"
    }

    /// The value without quotes, escaped and cut like `quoted`.
    public static func inline(_ value: some StringProtocol, limit: Int = defaultLimit) -> String {
        var out = ""
        var shown = 0
        for character in value {
            if shown == limit {
                return out + "… (\(value.utf8.count) bytes)"
            }
            out += escaped(character)
            shown += 1
        }
        return out
    }

    /// A whole message made safe for one terminal line: control characters escaped, nothing cut.
    public static func line(_ message: some StringProtocol) -> String {
        message.map(escaped).joined()
    }

    /// A message whose values a parser already put in single quotes (`bad port '99999'`), each value escaped and
    /// cut like `quoted`: for messages built where the value's length was never in doubt.
    public static func quotingValues(in message: String, limit: Int = defaultLimit) -> String {
        var out = ""
        var rest = Substring(message)
        while let open = rest.firstIndex(of: "'"), let close = rest[rest.index(after: open)...].firstIndex(of: "'") {
            out += rest[..<open] + quoted(rest[rest.index(after: open)..<close], limit: limit)
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    private static func escaped(_ character: Character) -> String {
        switch character {
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\r\n": return "\\r\\n"
        case "\t": return "\\t"
        case "\0": return "\\0"
        default:
            guard character.unicodeScalars.contains(where: isControl) else { return String(character) }
            return character.unicodeScalars.map { isControl($0) ? "\\u{\(String($0.value, radix: 16, uppercase: true))}" : String($0) }.joined()
        }
    }

    /// C0, DEL, C1, the line and paragraph separators, and the bidirectional marks and overrides: each can start a
    /// new line or make a terminal line read differently than it is.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
