/// One difference between the checked rules and the ones gwsetup renders for the gateway.
public struct DriftFinding: Sendable, Equatable, Encodable {
    public enum Kind: String, Sendable, Encodable {
        /// Rendered, but not in the checked rules.
        case missing
        /// In the checked rules, but not rendered: added by hand or by another tool.
        case unexpected
        /// A built-in chain's policy differs.
        case policy
    }

    public var family: String
    public var kind: Kind
    public var table: String
    public var chain: String
    /// The rule line, `:CHAIN` for a whole user chain, or `policy ACCEPT (rendered: DROP)`.
    public var text: String
    /// Where the rule is: the checked file for unexpected rules, the rendered file for missing ones.
    public var file: String?
    public var line: Int?

    private enum CodingKeys: String, CodingKey {
        case family, kind, table, chain, text, file, line
    }

    /// Every key always present (null when absent), so scripts reading `--json` need no existence checks.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(family, forKey: .family)
        try container.encode(kind, forKey: .kind)
        try container.encode(table, forKey: .table)
        try container.encode(chain, forKey: .chain)
        try container.encode(text, forKey: .text)
        try container.encode(file, forKey: .file)
        try container.encode(line, forKey: .line)
    }

    public var location: String? {
        guard let file else { return nil }
        return line.map { "\(file):\($0)" } ?? file
    }
}

/// What drift leaves out on purpose, reported so nothing disappears silently.
public struct IgnoredRules: Sendable, Equatable, Encodable {
    /// fail2ban's own chains (`f2b-*`), with their rule counts: fail2ban adds and empties them at will.
    public var chains: [String]
    /// Rules that jump to those chains, as `table CHAIN: rule`.
    public var jumps: [String]

    public var isEmpty: Bool { chains.isEmpty && jumps.isEmpty }
}
