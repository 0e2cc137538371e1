/// Writes block-style YAML line by line with end-of-line comments, which Yams' emitter cannot place.
struct YAMLWriter {
    private(set) var text = ""
    /// 1-based number of the next line to be written, so notes can point into the file.
    private(set) var nextLine = 1

    mutating func comment(_ comment: String, indent: Int = 0) {
        append(String(repeating: " ", count: indent) + "# " + comment)
    }

    mutating func blank() { append("") }

    /// `key: value  # comment`, or `key:` opening a nested block when value is nil.
    mutating func line(_ indent: Int, _ key: String, _ value: String? = nil, comment: String? = nil) {
        var line = String(repeating: " ", count: indent) + key + ":"
        if let value { line += " " + value }
        if let comment { line += "  # " + comment }
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
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    quoted += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
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
