import FirewallKit

/// Decides whether rules that only moved matter: the intents are checked again with each chain's moved rules put
/// back where the rendered order has them, and any intent whose verdict changes is named on the moved rules.
enum MovedRuleImpact {
    /// Fills `changesIntents` of every moved finding of `checked`'s family; `baseline` is the verdicts on `checked` as it is.
    static func annotate(_ findings: inout [DriftFinding], checked: CheckedRuleset, intents: [FirewallIntent], baseline: [IntentResult]) {
        let family = checked.family.rawValue
        let chains = findings.filter { $0.family == family && $0.kind == .moved }.map { ChainKey(table: $0.table, chain: $0.chain) }.uniqued()
        for key in chains {
            let moved = findings.filter { $0.family == family && $0.kind == .moved && ChainKey(table: $0.table, chain: $0.chain) == key }
            let restored = restoringOrder(checked.ruleset, key, moved)
            let results = RulesetEvaluator(restored).check(intents)
            let changed = zip(baseline, results).filter { $0.status != $1.status }.map { $0.0.intent.id ?? $0.0.intent.name }
            for index in findings.indices where findings[index].family == family && findings[index].kind == .moved
                && ChainKey(table: findings[index].table, chain: findings[index].chain) == key {
                findings[index].changesIntents = changed
            }
        }
    }

    struct ChainKey: Hashable {
        var table: String
        var chain: String
    }

    /// The ruleset with the chain's moved rules taken out and put back, in rendered order, after the rule each follows there.
    static func restoringOrder(_ ruleset: Ruleset, _ key: ChainKey, _ moved: [DriftFinding]) -> Ruleset {
        var copy = ruleset
        guard let t = copy.tables.firstIndex(where: { $0.name == key.table }),
              let c = copy.tables[t].chains.firstIndex(where: { $0.name == key.chain }) else { return ruleset }
        var rules = copy.tables[t].chains[c].rules
        let movedLines = Set(moved.compactMap(\.line))
        let byLine = Dictionary(rules.map { ($0.line, $0) }, uniquingKeysWith: { first, _ in first })
        rules.removeAll { movedLines.contains($0.line) }
        for finding in moved.sorted(by: { ($0.renderedLine ?? 0) < ($1.renderedLine ?? 0) }) {
            guard let line = finding.line, let rule = byLine[line] else { continue }
            let position = finding.anchorLine.flatMap { anchor in rules.firstIndex { $0.line == anchor }.map { $0 + 1 } } ?? 0
            rules.insert(rule, at: position)
        }
        copy.tables[t].chains[c].rules = rules
        return copy
    }
}
