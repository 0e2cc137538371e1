import FirewallKit

/// One rule (or chain policy) a verdict rests on, located so the admin can open the file at that line.
public struct CitedRule: Sendable, Equatable, Encodable {
    public var file: String
    /// nil for a chain policy, which has no `-A` line.
    public var line: Int?
    public var table: String
    public var chain: String
    /// The rule as written, or `policy DROP`.
    public var text: String
    /// Set when the rule's match cannot be decided from the packet (limit, recent, set…): what was assumed.
    public var assumption: String?

    private enum CodingKeys: String, CodingKey {
        case file, line, table, chain, text, assumption
    }

    /// Every key always present (null when absent), so scripts reading `--json` need no existence checks.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(line, forKey: .line)
        try container.encode(table, forKey: .table)
        try container.encode(chain, forKey: .chain)
        try container.encode(text, forKey: .text)
        try container.encode(assumption, forKey: .assumption)
    }

    init(file: String, step: TraceStep) {
        self.file = file
        table = step.table
        chain = step.chain
        line = step.rule?.line
        switch step.kind {
        case .policy(let policy): text = "policy \(policy.rawValue)"
        case .skipped(let reason): text = reason
        case .matched: text = step.rule?.text ?? ""
        case .assumedMatching(let reasons):
            text = step.rule?.text ?? ""
            assumption = "if it matches: " + reasons.joined(separator: "; ")
        case .assumedNotMatching(let reasons):
            text = step.rule?.text ?? ""
            assumption = "if it does not match: " + reasons.joined(separator: "; ")
        }
    }

    init(file: String, reference: RuleReference, assumption: String?) {
        self.file = file
        line = reference.line
        table = reference.table
        chain = reference.chain
        text = reference.text
        self.assumption = assumption
    }

    /// `FILE:LINE` (or `FILE table CHAIN` for a policy).
    public var location: String { line.map { "\(file):\($0)" } ?? "\(file) \(table) \(chain)" }
}
