/// One `-A` line: typed matches and a target, plus where it came from so every verdict can cite it.
public struct Rule: Hashable, Sendable {
    public var chain: String
    public var matches: [RuleMatch]
    /// nil for a rule without `-j`/`-g` (it only counts packets).
    public var target: RuleTarget?
    /// `[p:b]` before `-A` or `-c p b`, as `iptables-save -c` writes them.
    public var counters: Counters?
    /// 1-based line in the source file; 0 for rules built in code.
    public var line: Int
    /// The line as written, for messages that quote the rule.
    public var text: String

    public init(chain: String, matches: [RuleMatch], target: RuleTarget?, counters: Counters? = nil, line: Int = 0, text: String = "") {
        self.chain = chain
        self.matches = matches
        self.target = target
        self.counters = counters
        self.line = line
        self.text = text
    }

    /// Provenance (line, text) is not content: two rules that print the same are equal.
    public static func == (lhs: Rule, rhs: Rule) -> Bool {
        lhs.chain == rhs.chain && lhs.matches == rhs.matches && lhs.target == rhs.target && lhs.counters == rhs.counters
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(chain)
        hasher.combine(matches)
        hasher.combine(target)
        hasher.combine(counters)
    }

    /// The module names this rule loads with `-m` (explicitly or implied by `-p tcp --dport`).
    public var moduleNames: [String] { matches.compactMap(\.moduleName) }
}
