/// One difference between the checked rules and the ones gwsetup renders for the gateway.
public struct DriftFinding: Sendable, Equatable, Encodable {
    public enum Kind: String, Sendable, Encodable {
        /// Rendered, but not in the checked rules.
        case missing
        /// In the checked rules, but not rendered: added by hand or by another tool.
        case unexpected
        /// In both, at another place in the chain: only the order differs.
        case moved
        /// A built-in chain's policy differs.
        case policy
    }

    public var family: String
    public var kind: Kind
    public var table: String
    public var chain: String
    /// The rule line, `:CHAIN` for a whole user chain, or `policy ACCEPT (rendered: DROP)`.
    public var text: String
    /// Where the rule is: the checked file for unexpected and moved rules, the rendered file for missing ones.
    public var file: String?
    public var line: Int?
    /// For a moved rule: where the rendered rules have it.
    public var renderedFile: String?
    public var renderedLine: Int?
    /// For a moved rule: the ids of the intents whose verdict changes when its chain's moved rules go back to the
    /// rendered order (empty: the order changes nothing verify checks); nil for the other kinds.
    public var changesIntents: [String]?
    /// For a moved rule: the checked line it follows in the rendered order (nil: the chain's start). Not encoded.
    var anchorLine: Int?

    init(family: String, kind: Kind, table: String, chain: String, text: String, file: String?, line: Int?,
         renderedFile: String? = nil, renderedLine: Int? = nil, anchorLine: Int? = nil) {
        self.family = family
        self.kind = kind
        self.table = table
        self.chain = chain
        self.text = text
        self.file = file
        self.line = line
        self.renderedFile = renderedFile
        self.renderedLine = renderedLine
        self.anchorLine = anchorLine
        changesIntents = kind == .moved ? [] : nil
    }

    private enum CodingKeys: String, CodingKey {
        case family, kind, table, chain, text, file, line
        case renderedFile = "rendered_file", renderedLine = "rendered_line", changesIntents = "changes_intents"
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
        try container.encode(renderedFile, forKey: .renderedFile)
        try container.encode(renderedLine, forKey: .renderedLine)
        try container.encode(changesIntents, forKey: .changesIntents)
    }

    public var location: String? {
        guard let file else { return nil }
        return line.map { "\(file):\($0)" } ?? file
    }

    /// A moved rule whose place changes no intent: shown in one summary line, not one line each.
    public var isOrderOnly: Bool { kind == .moved && changesIntents?.isEmpty == true }
}

/// What drift leaves out on purpose, reported so nothing disappears silently.
public struct IgnoredRules: Sendable, Equatable, Encodable {
    /// fail2ban's own chains (`f2b-*`), with their rule counts: fail2ban adds and empties them at will.
    public var chains: [String]
    /// Rules that jump to those chains, as `table CHAIN: rule`.
    public var jumps: [String]

    public var isEmpty: Bool { chains.isEmpty && jumps.isEmpty }
}
