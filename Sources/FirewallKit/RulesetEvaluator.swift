import GatewayBase

/// Sends packets through a ruleset the way netfilter does, exploring both answers of every match it cannot decide.
public struct RulesetEvaluator: Sendable {
    public enum Failure: Error, Hashable, Sendable, CustomStringConvertible {
        case noSuchChain(table: String, chain: String)
        case familyMismatch(ruleset: IPFamily, packet: IPFamily)

        public var description: String {
            switch self {
            case .noSuchChain(let table, let chain): "no built-in chain \(chain) in table \(table)"
            case .familyMismatch(let ruleset, let packet): "an \(packet == .ipv6 ? "IPv6" : "IPv4") packet cannot go through an \(ruleset == .ipv6 ? "IPv6" : "IPv4") ruleset"
            }
        }
    }

    /// A table with jump targets resolved to chain indexes once, so queries do no name lookups.
    struct CompiledTable: Sendable {
        var name: String
        var chains: [Chain]
        var chainIndex: [String: Int]
        /// For each chain its rules as shared references, so walking 10,000 rules does not copy 10,000 structs.
        var rules: [[CompiledRule]]
    }

    /// One rule prepared for walking: the parts the hot loop reads, behind one reference.
    final class CompiledRule: Sendable {
        let matches: [RuleMatch]
        let target: RuleTarget?
        /// Index of the chain a -j/-g leads to, or -1.
        let jump: Int
        let rule: Rule
        let hasTarget: Bool
        /// Plain copies of `-p`, `-s`, `-d` so most non-matching rules are rejected without touching `matches`.
        let protocolNumber: Int
        let source: IPNetwork?
        let sourceNegated: Bool
        let destination: IPNetwork?
        let destinationNegated: Bool

        init(_ rule: Rule, jump: Int) {
            self.matches = rule.matches
            self.target = rule.target
            self.jump = jump
            self.rule = rule
            self.hasTarget = rule.target != nil
            var protocolNumber = -1
            var source: (IPNetwork, Bool)?
            var destination: (IPNetwork, Bool)?
            for match in rule.matches {
                switch match {
                case .protocol(let proto) where !proto.negated && proto.number != nil: protocolNumber = Int(proto.number!)
                case .source(let address): source = (address.network, address.negated)
                case .destination(let address): destination = (address.network, address.negated)
                default: break
                }
            }
            self.protocolNumber = protocolNumber
            self.source = source?.0
            self.sourceNegated = source?.1 ?? false
            self.destination = destination?.0
            self.destinationNegated = destination?.1 ?? false
        }

        /// True when `-p`, `-s` or `-d` alone already rule the packet out.
        @inline(__always)
        func quicklyRejects(_ packet: Packet) -> Bool {
            if protocolNumber >= 0 && Int(packet.protocolNumber) != protocolNumber { return true }
            if let destination, destination.contains(packet.destination) == destinationNegated { return true }
            if let source, source.contains(packet.source) == sourceNegated { return true }
            return false
        }
    }

    public let ruleset: Ruleset
    /// Exploration stops after this many branches; the answer then depends on everything seen.
    public var branchLimit: Int
    let tables: [String: CompiledTable]

    public init(_ ruleset: Ruleset, branchLimit: Int = 4096) {
        self.ruleset = ruleset
        self.branchLimit = branchLimit
        var tables: [String: CompiledTable] = [:]
        for table in ruleset.tables {
            var index: [String: Int] = [:]
            for (position, chain) in table.chains.enumerated() { index[chain.name] = position }
            let rules = table.chains.map { chain in
                chain.rules.map { rule -> CompiledRule in
                    switch rule.target {
                    case .jump(let name), .goto(let name): CompiledRule(rule, jump: index[name] ?? -1)
                    default: CompiledRule(rule, jump: -1)
                    }
                }
            }
            tables[table.name] = CompiledTable(name: table.name, chains: table.chains, chainIndex: index, rules: rules)
        }
        self.tables = tables
    }

    /// Runs the packet through every table and hook on its path, in kernel order.
    public func evaluate(_ packet: Packet, path: PacketPath) throws(Failure) -> Evaluation {
        try checkFamily(packet)
        var live = [EvaluationBranch(packet: packet)]
        var finished: [Outcome] = []
        var truncated = false
        for (tableName, chainName) in path.traversal {
            guard let table = tables[tableName], let chain = table.chainIndex[chainName], table.chains[chain].isBuiltin else { continue }
            var next: [EvaluationBranch] = []
            for branch in live {
                let results = run(table, chain: chain, hook: Hook(rawValue: chainName)!, branch: branch, budget: branchLimit - finished.count - next.count)
                truncated = truncated || results.truncated
                for (branch, verdict) in results.ends {
                    if verdict == .accept { next.append(branch) } else { finished.append(branch.outcome(verdict)) }
                }
            }
            live = next
        }
        finished += live.map { $0.outcome(.accept) }
        return Evaluation(outcomes: finished, truncated: truncated)
    }

    /// Runs the packet through one built-in chain of one table, as a single hook's table sees it.
    public func evaluate(_ packet: Packet, table tableName: String, chain chainName: String) throws(Failure) -> Evaluation {
        try checkFamily(packet)
        guard let table = tables[tableName], let chain = table.chainIndex[chainName], table.chains[chain].isBuiltin,
              let hook = Hook(rawValue: chainName) else {
            throw .noSuchChain(table: tableName, chain: chainName)
        }
        let results = run(table, chain: chain, hook: hook, branch: EvaluationBranch(packet: packet), budget: branchLimit)
        return Evaluation(outcomes: results.ends.map { $0.0.outcome($0.1) }, truncated: results.truncated)
    }

    private func checkFamily(_ packet: Packet) throws(Failure) {
        guard packet.family == ruleset.family else { throw .familyMismatch(ruleset: ruleset.family, packet: packet.family) }
    }
}

/// What one branch has collected so far on its way through the tables.
struct EvaluationBranch: Sendable {
    var packet: Packet
    var steps: [TraceStep] = []
    var actions: [AppliedAction] = []
    var translations: [Translation] = []

    func outcome(_ verdict: Verdict) -> Outcome {
        Outcome(verdict: verdict, steps: steps, actions: actions, translations: translations, packet: packet)
    }
}

extension RulesetEvaluator {
    /// A position inside the chain walk: where to continue and which chains to return to.
    private struct Cursor {
        var branch: EvaluationBranch
        var chain: Int
        var rule: Int
        /// Return addresses (chain, next rule) pushed by `-j`; `-g` pushes none.
        var stack: [(chain: Int, rule: Int)]
        var hops: Int
        /// Set on the "it matches" side of a fork: the target still to apply when this branch resumes.
        var pendingTarget: (target: RuleTarget, reference: RuleReference, position: Int)?
    }

    private static let hopLimit = 10_000

    /// Walks one table's chain for one branch; returns each finished branch with the table's verdict.
    func run(_ table: CompiledTable, chain start: Int, hook: Hook, branch: EvaluationBranch, budget: Int) -> (ends: [(EvaluationBranch, Verdict)], truncated: Bool) {
        let startChain = table.chains[start]
        if table.name == "nat" && branch.packet.state != .new {
            var skipped = branch
            skipped.steps.append(TraceStep(table: table.name, chain: startChain.name, rule: nil,
                                           kind: .skipped(reason: "nat sees only the first packet of a connection (state NEW)")))
            return ([(skipped, .accept)], false)
        }
        var ends: [(EvaluationBranch, Verdict)] = []
        var pending = [Cursor(branch: branch, chain: start, rule: 0, stack: [], hops: 0, pendingTarget: nil)]
        var truncated = false
        while var cursor = pending.popLast() {
            if ends.count + pending.count >= max(budget, 1) {
                truncated = true
                break
            }
            if let resume = cursor.pendingTarget {
                cursor.pendingTarget = nil
                if case .end(let verdict) = apply(resume.target, of: resume.reference, table: table, position: resume.position, cursor: &cursor) {
                    ends.append((cursor.branch, verdict))
                    continue
                }
            }
            walk: while true {
                let chainRules = table.rules[cursor.chain]
                guard cursor.rule < chainRules.count else {
                    // Fell off the end: a user chain returns, a built-in chain applies its policy.
                    if let frame = cursor.stack.popLast() {
                        cursor.chain = frame.chain
                        cursor.rule = frame.rule
                        continue walk
                    }
                    let base = table.chains[start]
                    let policy = base.policy ?? .accept
                    cursor.branch.steps.append(TraceStep(table: table.name, chain: base.name, rule: nil, kind: .policy(policy)))
                    ends.append((cursor.branch, policy == .accept ? .accept : .drop))
                    break walk
                }
                let compiled = chainRules[cursor.rule]
                let position = cursor.rule
                cursor.rule += 1
                guard compiled.hasTarget, !compiled.quicklyRejects(cursor.branch.packet) else { continue walk }
                var reasons: [String] = []
                var decided = true
                let matches = compiled.matches
                for index in matches.indices {
                    switch matches[index].evaluate(cursor.branch.packet, at: hook) {
                    case .yes: continue
                    case .no: decided = false; reasons = []
                    case .unknown(let reason): reasons.append(reason); continue
                    }
                    break
                }
                if !decided { continue walk }
                let target = compiled.target!
                let reference = RuleReference(table: table.name, rule: compiled.rule)
                let chainName = compiled.rule.chain
                if !reasons.isEmpty {
                    if Self.onlyObserves(target) {
                        // LOG, TCPMSS…: both answers continue with the same packet, so record it as uncertain instead of forking.
                        cursor.branch.actions.append(AppliedAction(rule: reference, target: target, certain: false))
                        continue walk
                    }
                    var skip = cursor
                    skip.branch.steps.append(TraceStep(table: table.name, chain: chainName, rule: reference, kind: .assumedNotMatching(reasons: reasons)))
                    cursor.branch.steps.append(TraceStep(table: table.name, chain: chainName, rule: reference, kind: .assumedMatching(reasons: reasons)))
                    cursor.pendingTarget = (target, reference, position)
                    pending.append(cursor)
                    cursor = skip
                    continue walk
                }
                cursor.branch.steps.append(TraceStep(table: table.name, chain: chainName, rule: reference, kind: .matched))
                switch apply(target, of: reference, table: table, position: position, cursor: &cursor) {
                case .continue: continue walk
                case .end(let verdict):
                    ends.append((cursor.branch, verdict))
                    break walk
                }
            }
        }
        return (ends, truncated)
    }

    private enum Step {
        case `continue`
        case end(Verdict)
    }

    /// Non-terminating targets whose effect later rules cannot see.
    static func onlyObserves(_ target: RuleTarget) -> Bool {
        switch target {
        case .clampMSS: true
        case .other("CONNMARK", let options): !options.contains { $0.name == "restore-mark" }
        case .other(let name, _): RuleTarget.nonTerminatingNames.contains(name)
        default: false
        }
    }

    private func apply(_ target: RuleTarget, of reference: RuleReference, table: CompiledTable, position: Int, cursor: inout Cursor) -> Step {
        switch target {
        case .accept: return .end(.accept)
        case .drop: return .end(.drop)
        case .reject(let with): return .end(.reject(with: with))
        case .returnFromChain:
            if let frame = cursor.stack.popLast() {
                cursor.chain = frame.chain
                cursor.rule = frame.rule
            } else {
                // RETURN with nothing to return to (a built-in chain, or a chain reached only by -g): the policy applies.
                cursor.rule = table.rules[cursor.chain].count
            }
            return .continue
        case .jump, .goto:
            let destination = table.rules[cursor.chain][position].jump
            cursor.hops += 1
            guard destination >= 0, cursor.hops < Self.hopLimit, cursor.stack.count < 128 else {
                return .end(.undetermined(destination < 0 ? "jump to a missing chain" : "chain loop"))
            }
            if case .jump = target { cursor.stack.append((cursor.chain, cursor.rule)) }
            cursor.chain = destination
            cursor.rule = 0
            return .continue
        case .masquerade:
            cursor.branch.translations.append(Translation(kind: .masquerade, rule: reference))
            return .end(.accept)
        case .sourceNAT(let to, _):
            cursor.branch.translations.append(Translation(kind: .sourceNAT(to: to), rule: reference))
            return .end(.accept)
        case .destinationNAT(let to, _):
            cursor.branch.translations.append(Translation(kind: .destinationNAT(to: to), rule: reference))
            Self.rewriteDestination(&cursor.branch.packet, to: to)
            return .end(.accept)
        case .clampMSS:
            cursor.branch.actions.append(AppliedAction(rule: reference, target: target, certain: true))
            return .continue
        case .setMark(let value, let mask):
            if let mark = cursor.branch.packet.mark {
                cursor.branch.packet.mark = (mark & ~mask) ^ value
            } else if mask == .max {
                cursor.branch.packet.mark = value
            }
            cursor.branch.actions.append(AppliedAction(rule: reference, target: target, certain: true))
            return .continue
        case .notrack:
            cursor.branch.packet.state = .untracked
            cursor.branch.actions.append(AppliedAction(rule: reference, target: target, certain: true))
            return .continue
        case .other(let name, let options):
            if name == "CONNMARK" && options.contains(where: { $0.name == "restore-mark" }) {
                // The connection's mark is not part of the query, so the packet mark is unknown from here on.
                cursor.branch.packet.mark = nil
            }
            if RuleTarget.nonTerminatingNames.contains(name) {
                cursor.branch.actions.append(AppliedAction(rule: reference, target: target, certain: true))
                return .continue
            }
            switch name {
            case "QUEUE", "NFQUEUE": return .end(.queue)
            case "REDIRECT", "NETMAP":
                cursor.branch.translations.append(Translation(kind: .other(name), rule: reference))
                return .end(.accept)
            default:
                if RuleTarget.terminatingNames.contains(name) { return .end(.terminal(name)) }
                return .end(.undetermined("target \(name) is not modelled"))
            }
        }
    }

    /// DNAT to a single address (optionally `:port`) changes what later tables see; ranges leave it as it was.
    static func rewriteDestination(_ packet: inout Packet, to: String) {
        var host = Substring(to)
        var port: Substring?
        if host.hasPrefix("[") , let close = host.firstIndex(of: "]") {
            let rest = host[host.index(after: close)...]
            port = rest.hasPrefix(":") ? rest.dropFirst() : nil
            host = host[host.index(after: host.startIndex)..<close]
        } else if host.filter({ $0 == ":" }).count == 1, let colon = host.firstIndex(of: ":") {
            port = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        if let address = IPAddress(host) { packet.destination = address }
        if let port, let number = UInt16(port) { packet.destinationPort = number }
    }
}
