/// Explains a failing intent by the rule that nearly decided it: one the packet reaches whose match fails on one field.
extension RulesetEvaluator {
    /// Candidates proven by re-evaluation at most; each costs one evaluation of the whole ruleset.
    static let nearMissTrials = 12

    /// The nearest rule that would make `intent` hold but for one field, nil when the intent holds or no rule comes that close.
    ///
    /// A candidate is a rule in a table on the packet's path whose target could give the expected answer, whose match
    /// fails on exactly one field and holds on at least one other (a rule that shares nothing with the packet explains
    /// nothing). The candidates sharing the most fields come first; each is proven by evaluating the ruleset with that
    /// one field removed: the intent must then hold, with the rule on the deciding path.
    public func nearMiss(for intent: FirewallIntent) -> NearMiss? {
        guard check([intent]).first?.status == .violated else { return nil }
        let traversal = intent.path.traversal
        var candidates: [(score: Int, order: Int, table: Int, chain: Int, rule: Int, field: Int)] = []
        for (t, table) in ruleset.tables.enumerated() {
            let hooks = traversal.filter { $0.table == table.name }.compactMap { Hook(rawValue: $0.chain) }
            guard let order = traversal.firstIndex(where: { $0.table == table.name }), !hooks.isEmpty else { continue }
            for (c, chain) in table.chains.enumerated() {
                for (r, rule) in chain.rules.enumerated() where Self.couldDecide(rule.target, intent.expectation) {
                    let fields = rule.matches.flatMap(\.fields)
                    for hook in hooks {
                        let answers = fields.map { $0.match.evaluate(intent.packet, at: hook) }
                        let failing = answers.indices.filter { answers[$0] == .no }
                        let holding = answers.count { $0 == .yes }
                        guard failing.count == 1, holding + 1 == answers.count, holding >= 1 else { continue }
                        candidates.append((holding, order, t, c, r, failing[0]))
                        break
                    }
                }
            }
        }
        candidates.sort { ($1.score, $0.order, $0.table, $0.chain, $0.rule) < ($0.score, $1.order, $1.table, $1.chain, $1.rule) }
        for candidate in candidates.prefix(Self.nearMissTrials) {
            let rule = ruleset.tables[candidate.table].chains[candidate.chain].rules[candidate.rule]
            var fields = rule.matches.flatMap(\.fields)
            let failing = fields.remove(at: candidate.field)
            var relaxed = ruleset
            relaxed.tables[candidate.table].chains[candidate.chain].rules[candidate.rule].matches = fields.map(\.match)
            guard let result = RulesetEvaluator(relaxed, branchLimit: branchLimit).check([intent]).first, result.status == .holds else { continue }
            let tableName = ruleset.tables[candidate.table].name
            let reference = RuleReference(table: tableName, rule: rule)
            let onPath = result.evidence.contains { step in
                step.kind == .matched && step.table == tableName && step.rule?.line == rule.line && step.rule?.chain == rule.chain
            }
            guard onPath else { continue }
            return NearMiss(rule: reference, field: failing.option, condition: failing.text, packetValue: intent.packet.value(for: failing.option))
        }
        return nil
    }

    /// Whether a rule with this target could give the expected answer itself, or lead to a chain that does.
    static func couldDecide(_ target: RuleTarget?, _ expectation: FirewallIntent.Expectation) -> Bool {
        guard let target else { return false }
        switch (target, expectation) {
        case (.jump, _), (.goto, _): return expectation != .notSourceTranslated
        case (.accept, .accepted), (.drop, .blocked), (.reject, .blocked): return true
        case (.masquerade, .sourceTranslated), (.sourceNAT, .sourceTranslated): return true
        case (.clampMSS, .mssSetAtMost): return true
        case (_, .targetApplied(let name)): return target.name == name
        default: return false
        }
    }
}
