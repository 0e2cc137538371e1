import GatewayBase

/// What one place of a file can hold, and how a value is written there so it means only itself.
enum SlotRule: Sendable, Equatable {
    /// Text after a comment leader: control characters are shown escaped, so no value can end the comment.
    case comment
    /// One token of ASCII letters, digits and `extra`; anything else (blanks, quotes, `$`, `#`…) is refused.
    case word(extra: String, leadingDash: Bool)
    /// A sudoers user: Linux user-name rules, so no `ALL`, `%group`, `#uid` or escaped list can slip in.
    case userName
    /// A whole line (an authorized_keys entry): anything but a control character.
    case line
    /// Free text in a systemd setting: `%` doubled (no specifier expands), control characters shown escaped.
    case unitText
    /// Inside `"…"` read with backslash escapes (iptables-restore): `\` and `"` escaped, at most `maxBytes`.
    case backslashQuoted(maxBytes: Int)
    /// Inside `'…'` of a shell script: a `'` closes, escapes and reopens.
    case shellSingleQuoted
    /// Inside `"…"` of a shell script: `\`, `"`, `$` and `` ` `` escaped.
    case shellDoubleQuoted

    /// Why `value` cannot be written here, or nil when `escape` makes it inert.
    func refusal(_ value: String) -> String? {
        switch self {
        case .comment, .unitText, .shellSingleQuoted, .shellDoubleQuoted:
            return nil
        case .word(let extra, let leadingDash):
            if value.isEmpty { return "it is empty" }
            if !leadingDash, value.hasPrefix("-") { return "it starts with '-'" }
            if let bad = value.unicodeScalars.first(where: { !Self.isWordScalar($0, extra: extra) }) {
                return "it holds \(Echo.quoted(String(bad))), and only letters, digits and \(extra.map { "'\($0)'" }.joined(separator: " ")) stay one token"
            }
            return nil
        case .userName:
            guard let first = value.unicodeScalars.first, (first.value >= 0x61 && first.value <= 0x7A) || first == "_" else {
                return "a user name starts with a lower-case letter or '_'"
            }
            if value.utf8.count > 32 { return "a user name has at most 32 characters" }
            if let bad = value.unicodeScalars.first(where: { !(($0.value >= 0x61 && $0.value <= 0x7A) || ($0.value >= 0x30 && $0.value <= 0x39) || $0 == "_" || $0 == "-") }) {
                return "a user name holds only a-z, 0-9, '_' and '-', not \(Echo.quoted(String(bad)))"
            }
            return nil
        case .line:
            if value.unicodeScalars.contains(where: Echo.isControl) { return "it holds a control character and would not stay one line" }
            return nil
        case .backslashQuoted(let maxBytes):
            let length = escape(value).utf8.count
            return length > maxBytes ? "it is \(length) bytes once escaped, and this place holds at most \(maxBytes)" : nil
        }
    }

    /// The text written for `value`; only called for values `refusal` accepted.
    func escape(_ value: String) -> String {
        switch self {
        case .comment:
            return Echo.line(value)
        case .word, .userName, .line:
            // Refused before rendering; the filter only guards a caller that skipped `refusal`.
            return refusal(value) == nil ? value : String(value.unicodeScalars.map { Echo.isControl($0) || $0 == " " ? "_" : Character($0) })
        case .unitText:
            return Echo.line(value).replacingOccurrences(of: "%", with: "%%")
        case .backslashQuoted:
            var out = ""
            for character in Echo.line(value) {
                if character == "\\" || character == "\"" { out.append("\\") }
                out.append(character)
            }
            return out
        case .shellSingleQuoted:
            return Echo.line(value).replacingOccurrences(of: "'", with: #"'\''"#)
        case .shellDoubleQuoted:
            var out = ""
            for character in Echo.line(value) {
                if "\\\"$`".contains(character) { out.append("\\") }
                out.append(character)
            }
            return out
        }
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar, extra: String) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        default: extra.unicodeScalars.contains(scalar)
        }
    }
}
