/// Everything `gwsetup verify` found for one gateway; its JSON form is the stable `--json` output.
public struct VerifyReport: Sendable, Equatable, Encodable {
    /// Where each family's rules came from; nil when that family was not checked.
    public struct Sources: Sendable, Equatable, Encodable {
        public var ipv4: String?
        public var ipv6: String?

        /// Both keys always present; null means that family was not checked.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(ipv4, forKey: .ipv4)
            try container.encode(ipv6, forKey: .ipv6)
        }

        private enum CodingKeys: String, CodingKey { case ipv4, ipv6 }

        init(_ rulesets: [CheckedRuleset]) {
            ipv4 = rulesets.first { $0.family == .ipv4 }?.source
            ipv6 = rulesets.first { $0.family == .ipv6 }?.source
        }
    }

    public struct Summary: Sendable, Equatable, Encodable {
        public var intents: Int
        public var holds: Int
        public var fails: Int
        public var depends: Int
        public var drift: Int
    }

    public var gateway: String
    public var checked: Sources
    public var rendered: Sources
    public var intents: [IntentFinding]
    public var drift: [DriftFinding]
    public var ignored: IgnoredRules
    public var summary: Summary
    /// Every intent holds and nothing drifted: exit 0.
    public var passed: Bool

    init(gateway: String, checked: [CheckedRuleset], rendered: [CheckedRuleset], intents: [IntentFinding],
         drift: [DriftFinding], ignored: IgnoredRules) {
        self.gateway = gateway
        self.checked = Sources(checked)
        self.rendered = Sources(rendered)
        self.intents = intents
        self.drift = drift
        self.ignored = ignored
        summary = Summary(intents: intents.count, holds: intents.count { $0.status == .holds },
                          fails: intents.count { $0.status == .fails }, depends: intents.count { $0.status == .depends },
                          drift: drift.count)
        passed = summary.holds == summary.intents && drift.isEmpty
    }

    /// The intents that did not hold, for callers that only need the names.
    public var failing: [IntentFinding] { intents.filter { $0.status != .holds } }
}
