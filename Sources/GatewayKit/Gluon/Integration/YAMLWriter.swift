import GatewayBase

/// Writes block-style YAML line by line with end-of-line comments, which Yams' emitter cannot place.
struct YAMLWriter {
    private(set) var text = ""
    /// 1-based number of the next line to be written, so notes can point into the file.
    private(set) var nextLine = 1

    mutating func comment(_ comment: String, indent: Int = 0) {
        append(String(repeating: " ", count: indent) + "# " + Self.commentText(comment))
    }

    mutating func blank() { append("") }

    /// `key: value  # comment`, or `key:` opening a nested block when value is nil.
    mutating func line(_ indent: Int, _ key: String, _ value: String? = nil, comment: String? = nil) {
        var line = String(repeating: " ", count: indent) + key + ":"
        if let value { line += " " + value }
        if let comment { line += "  # " + Self.commentText(comment) }
        append(line)
    }

    /// A list item holding a mapping: `- key: value`.
    mutating func item(_ indent: Int, _ key: String, _ value: String, comment: String? = nil) {
        line(indent, "- " + key, value, comment: comment)
    }

    private mutating func append(_ line: String) {
        text += line + "\n"
        nextLine += 1
    }

    /// Comment text that no character can end: control characters and YAML's other line breaks (NEL, LS, PS)
    /// are shown escaped, since a site.conf string copied into a comment must not start a live line of YAML.
    static func commentText(_ text: String) -> String {
        var out = ""
        for character in text {
            if character.unicodeScalars.contains(where: { $0 == "\u{2028}" || $0 == "\u{2029}" || $0 == "\u{FEFF}" }) {
                out += character.unicodeScalars.map { "\\u{" + String($0.value, radix: 16, uppercase: true) + "}" }.joined()
            } else {
                out += Echo.line(String(character))
            }
        }
        return out
    }

    /// A scalar YAML reads back as exactly this string: plain when unambiguous, else double-quoted.
    static func scalar(_ value: String) -> String {
        let plainSafe = value.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._/+@-".unicodeScalars.contains(scalar))
        }
        let reserved: Set<String> = ["null", "Null", "NULL", "~", "true", "True", "TRUE", "false", "False", "FALSE",
                                     "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "n", "Y", "N"]
        let looksNumeric = Double(value) != nil || Int(value) != nil || value.hasPrefix("0x") || value.hasPrefix("0o")
        if plainSafe, !value.isEmpty, !reserved.contains(value), !looksNumeric, !value.hasPrefix("-"), !value.hasPrefix("@"), !value.hasPrefix(".") {
            return value
        }
        var quoted = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case "\t": quoted += "\\t"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    quoted += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                } else if [0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF].contains(scalar.value) {
                    // Line and paragraph separators would fold into a space; BOM and non-characters are not printable YAML.
                    quoted += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                } else {
                    quoted.unicodeScalars.append(scalar)
                }
            }
        }
        return quoted + "\""
    }

    /// `[a, "b:c"]`.
    static func flowList(_ values: [String]) -> String {
        "[" + values.map(scalar).joined(separator: ", ") + "]"
    }
}
