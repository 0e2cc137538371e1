import FirewallKit

/// The verdict on one derived intent as verify reports it: holds, FAILS or depends, with the rules that decide it.
public struct IntentFinding: Sendable, Equatable, Encodable {
    public enum Status: String, Sendable, Encodable {
        case holds
        case fails
        /// The answer hinges on a match the packet cannot decide (rate limit, recent list, ipset…).
        case depends
    }

    /// The stable key scripts use (`ipv4.mesh.ffx.dns-udp`, see ``IntentID``).
    public var id: String
    /// The sentence an admin reads.
    public var name: String
    public var family: String
    public var status: Status
    /// What must happen to the packet: `accepted`, `blocked`, `masqueraded`, `TCPMSS applied` or `MSS at most 1240`.
    public var expectation: String
    public var rules: [CitedRule]
    /// Why no rule is cited, when none is.
    public var note: String?
    /// For a failing intent: the nearest rule that would have made it hold but for one field.
    public var nearMiss: CitedNearMiss?

    private enum CodingKeys: String, CodingKey {
        case id, name, family, status, expectation, rules, note
        case nearMiss = "near_miss"
    }

    /// Every key always present (null when absent), so scripts reading `--json` need no existence checks.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(family, forKey: .family)
        try container.encode(status, forKey: .status)
        try container.encode(expectation, forKey: .expectation)
        try container.encode(rules, forKey: .rules)
        try container.encode(note, forKey: .note)
        try container.encode(nearMiss, forKey: .nearMiss)
    }

    init(_ result: IntentResult, file: String, rules index: RuleIndex, nearMiss: NearMiss? = nil) {
        let intent = result.intent
        id = intent.id ?? intent.name
        name = intent.name
        self.nearMiss = nearMiss.map { CitedNearMiss($0, file: file) }
        family = intent.packet.family.rawValue
        expectation = Self.expectationName(intent.expectation)
        switch result.status {
        case .holds, .violated:
            status = result.status == .holds ? .holds : .fails
            rules = Self.deciding(result.evidence, for: intent.expectation, rules: index).map { CitedRule(file: file, step: $0) }
            if rules.isEmpty, case .targetApplied(let target) = intent.expectation {
                note = "no rule on the packet's path applies \(target)"
            }
            if rules.isEmpty, case .mssSetAtMost(let mss) = intent.expectation {
                note = "no rule on the packet's path sets the MSS to \(mss) or lower (--clamp-mss-to-pmtu cannot see the mesh MTU)"
            }
        case .undetermined:
            status = .depends
            rules = result.dependsOn.map { CitedRule(file: file, reference: $0, assumption: index.undecidableMatches($0)) }
            if rules.isEmpty { note = "the evaluator could not follow the packet (missing chain or loop)" }
        }
    }

    static func expectationName(_ expectation: FirewallIntent.Expectation) -> String {
        switch expectation {
        case .accepted: "accepted"
        case .blocked: "blocked"
        case .sourceTranslated: "masqueraded"
        case .notSourceTranslated: "not masqueraded"
        case .targetApplied(let target): "\(target) applied"
        case .mssSetAtMost(let mss): "MSS at most \(mss)"
        }
    }

    /// The steps that decide this kind of question: filter verdicts for accept/block, nat for NAT, the target itself for MSS.
    static func deciding(_ steps: [TraceStep], for expectation: FirewallIntent.Expectation, rules: RuleIndex) -> [TraceStep] {
        let visited = steps.filter { step in
            if case .skipped = step.kind { return false }
            return true
        }
        // LOG, TCPMSS, MARK… only annotate the packet, and an ACCEPT policy outside filter only lets it pass on:
        // citing either for an accept/drop question is noise.
        let verdictSteps = visited.filter { step in
            if case .policy(.accept) = step.kind, step.table != "filter" { return false }
            guard step.table != "nat" else { return false }
            guard let target = step.rule.flatMap(rules.target) else { return true }
            return !annotates(target)
        }
        switch expectation {
        case .accepted, .blocked:
            return verdictSteps
        case .sourceTranslated, .notSourceTranslated:
            let nat = visited.filter { step in
                guard step.table == "nat" else { return false }
                if case .policy(.accept) = step.kind { return step.chain == "POSTROUTING" }
                return true
            }
            return nat.isEmpty ? verdictSteps : nat
        case .targetApplied(let name):
            return visited.filter { step in step.rule.flatMap(rules.target)?.name == name }
        case .mssSetAtMost:
            return visited.filter { step in step.rule.flatMap(rules.target)?.name == "TCPMSS" }
        }
    }
}

/// Targets that mark, log or rewrite the packet and let it go on: never the reason it was accepted or dropped.
private func annotates(_ target: RuleTarget) -> Bool {
    switch target {
    case .clampMSS, .setMark, .notrack: true
    case .other(let name, _): RuleTarget.nonTerminatingNames.contains(name)
    default: false
    }
}

/// A ruleset's rules by table and line, because a cited rule reference keeps only the text.
struct RuleIndex: Sendable {
    private var rules: [String: [Int: Rule]] = [:]

    init(_ ruleset: Ruleset) {
        for table in ruleset.tables {
            var byLine: [Int: Rule] = [:]
            for chain in table.chains {
                for rule in chain.rules where rule.line > 0 { byLine[rule.line] = rule }
            }
            rules[table.name] = byLine
        }
    }

    func target(_ reference: RuleReference) -> RuleTarget? { rules[reference.table]?[reference.line]?.target }

    /// "-m limit, -m recent: not decidable from the packet", naming the modules that make the answer depend.
    func undecidableMatches(_ reference: RuleReference) -> String {
        let modules = rules[reference.table]?[reference.line]?.matches.compactMap { match -> String? in
            if case .module(let module) = match { return "-m \(module.name)" }
            return nil
        } ?? []
        return (modules.isEmpty ? "this rule" : modules.uniqued().joined(separator: ", ")) + ": not decidable from the packet"
    }
}
