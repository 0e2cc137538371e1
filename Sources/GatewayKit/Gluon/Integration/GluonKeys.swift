import GatewayBase

/// Gateways' fastd public keys per domain from a keys file, which `gwsetup apply` will write from the keys the gateways report.
///
/// Format: one `GATEWAY DOMAIN KEY` per line (KEY: 64 hex digits), separated by spaces or tabs;
/// `#` starts a comment; blank lines are ignored. A gateway and domain may appear once.
public struct GluonKeys: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var gateway: String
        public var domain: String
        /// Lower-case hex.
        public var key: String
        public var location: SourceLocation
    }

    public var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries }

    public func entry(gateway: String, domain: String) -> Entry? {
        entries.first { $0.gateway == gateway && $0.domain == domain }
    }

    public static func parse(_ text: String, file: String) throws(GluonKeysError) -> GluonKeys {
        var entries: [Entry] = []
        // Line of each gateway and domain already given, so a long keys file is read in linear time.
        var seen: [String: Int] = [:]
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.prefix { $0 != "#" }
            // Columns counted in characters from 1, with the start of each field.
            var fields: [(text: String, column: Int)] = []
            var current = ""
            var start = 0
            for (offset, character) in line.enumerated() {
                if character == " " || character == "\t" || character == "\r" {
                    if !current.isEmpty { fields.append((current, start + 1)); current = "" }
                } else {
                    if current.isEmpty { start = offset }
                    current.append(character)
                }
            }
            if !current.isEmpty { fields.append((current, start + 1)) }
            guard !fields.isEmpty else { continue }
            let at = { (column: Int) in SourceLocation(file: file, line: index + 1, column: column) }
            guard fields.count == 3 else {
                throw GluonKeysError(location: at(fields.count > 3 ? fields[3].column : fields[0].column),
                                     message: "want 'GATEWAY DOMAIN KEY' (3 fields), found \(fields.count)")
            }
            guard HexKey.isValid(fields[2].text) else {
                throw GluonKeysError(location: at(fields[2].column), message: "fastd public key of gateway \(Echo.quoted(fields[0].text)) in domain \(Echo.quoted(fields[1].text)) must be 64 hex digits")
            }
            if let earlier = seen.updateValue(index + 1, forKey: fields[0].text + "\u{0}" + fields[1].text) {
                throw GluonKeysError(location: at(fields[0].column), message: "gateway \(Echo.quoted(fields[0].text)) in domain \(Echo.quoted(fields[1].text)) is already given at line \(earlier)")
            }
            entries.append(Entry(gateway: fields[0].text, domain: fields[1].text, key: fields[2].text.lowercased(), location: at(fields[0].column)))
        }
        return GluonKeys(entries: entries)
    }
}

/// A keys file line that cannot be used, as `FILE:LINE:COL: message`.
public struct GluonKeysError: Error, Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public var description: String { "\(location): \(message)" }
}
