/// A rule as evidence: where it is, so a verdict can be checked by reading the file.
public struct RuleReference: Hashable, Sendable, CustomStringConvertible {
    public var table: String
    public var chain: String
    public var line: Int
    public var text: String

    public init(table: String, rule: Rule) {
        self.table = table
        self.chain = rule.chain
        self.line = rule.line
        self.text = rule.text.isEmpty ? RulesetPrinter.line(rule) : rule.text
    }

    public var description: String { "line \(line): \(text)" }
}

/// What finally happened to the packet.
public enum Verdict: Hashable, Sendable, CustomStringConvertible {
    case accept
    case drop
    case reject(with: String?)
    /// NFQUEUE/QUEUE: a userspace program decides.
    case queue
    /// Another terminating target (TPROXY, SYNPROXY, TARPIT…).
    case terminal(String)
    /// The evaluator cannot tell (unknown target, jump loop, missing chain); never treated as definite.
    case undetermined(String)

    public var description: String {
        switch self {
        case .accept: "ACCEPT"
        case .drop: "DROP"
        case .reject(let with): with.map { "REJECT (\($0))" } ?? "REJECT"
        case .queue: "QUEUE"
        case .terminal(let name): name
        case .undetermined(let reason): "undetermined (\(reason))"
        }
    }

    /// DROP and every REJECT flavour count as blocked.
    public var isBlocked: Bool {
        switch self {
        case .drop, .reject: true
        default: false
        }
    }
}

/// One piece of the path a packet took: the rules that fired (jumps included) and the policies that applied.
public struct TraceStep: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// The rule matched and its target ran.
        case matched
        /// An undecidable rule, assumed to match on this branch.
        case assumedMatching(reasons: [String])
        /// An undecidable rule, assumed not to match on this branch.
        case assumedNotMatching(reasons: [String])
        /// The built-in chain ran out of rules; its policy decided.
        case policy(ChainPolicy)
        /// The table was not consulted for this packet.
        case skipped(reason: String)
    }

    public var table: String
    public var chain: String
    public var rule: RuleReference?
    public var kind: Kind

    public var description: String {
        switch kind {
        case .matched: "\(table) \(chain) \(rule!.description)"
        case .assumedMatching(let reasons): "\(table) \(chain) \(rule!.description) [if it matches: \(reasons.joined(separator: "; "))]"
        case .assumedNotMatching(let reasons): "\(table) \(chain) \(rule!.description) [if it does not match: \(reasons.joined(separator: "; "))]"
        case .policy(let policy): "\(table) \(chain) policy \(policy.rawValue)"
        case .skipped(let reason): "\(table) \(chain) skipped: \(reason)"
        }
    }
}

/// A non-terminating target that ran (LOG, TCPMSS, MARK…); uncertain when an undecidable match guarded it.
public struct AppliedAction: Hashable, Sendable {
    public var rule: RuleReference
    public var target: RuleTarget
    public var certain: Bool
}

/// An address translation the nat table chose for the connection.
public struct Translation: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case masquerade
        case sourceNAT(to: String)
        case destinationNAT(to: String)
        case other(String)
    }

    public var kind: Kind
    public var rule: RuleReference

    public var isSourceTranslation: Bool {
        switch kind {
        case .masquerade, .sourceNAT: true
        default: false
        }
    }
}

/// One fully decided branch: how the packet ends if the undecidable matches listed in `assumptions` go the way they say.
public struct Outcome: Hashable, Sendable {
    public var verdict: Verdict
    public var steps: [TraceStep]
    public var actions: [AppliedAction]
    public var translations: [Translation]
    /// The packet as the last table saw it (mark set, destination after DNAT, UNTRACKED after NOTRACK).
    public var packet: Packet

    /// Rules whose undecidable matches this branch assumed one way or the other.
    public var assumptions: [RuleReference] {
        steps.compactMap { step in
            switch step.kind {
            case .assumedMatching, .assumedNotMatching: step.rule
            default: nil
            }
        }
    }
}

/// A three-valued answer: it holds for every branch, with the rules that prove it, or it depends on the listed rules.
public enum Decision<Value: Hashable & Sendable>: Hashable, Sendable {
    case holds(Value, because: [TraceStep])
    case depends(on: [RuleReference], possibilities: [Value])

    /// The value if it is certain.
    public var value: Value? {
        if case .holds(let value, _) = self { return value }
        return nil
    }
}

/// Everything the evaluator found out about one packet: all branches, and answers derived from them.
public struct Evaluation: Hashable, Sendable {
    /// Branches in exploration order; the first assumes every undecidable match fails.
    public var outcomes: [Outcome]
    /// True when exploration stopped at the branch limit; answers are then never definite.
    public var truncated: Bool

    /// The final verdict, or the rules it depends on.
    public var verdict: Decision<Verdict> {
        decide { outcome in
            if case .undetermined = outcome.verdict { return nil }
            return outcome.verdict
        }
    }

    /// Whether a non-terminating target (TCPMSS, LOG, MARK…) ran on the packet.
    public func applies(targetNamed name: String) -> Decision<Bool> {
        decide { outcome in
            let hits = outcome.actions.filter { $0.target.name == name }
            if hits.contains(where: \.certain) { return true }
            return hits.isEmpty ? false : nil
        }
    }

    /// Whether a TCPMSS `--set-mss` of at most `mss` ran on the SYN; the kernel only ever lowers the MSS, so the smallest one counts.
    public func setsMSS(atMost mss: UInt16) -> Decision<Bool> {
        decide { outcome in
            var uncertain = false
            for action in outcome.actions {
                guard case .clampMSS(let clamp) = action.target else { continue }
                if case .fixed(let value) = clamp, value <= mss {
                    if action.certain { return true }
                    uncertain = true
                }
            }
            return uncertain ? nil : false
        }
    }

    /// Whether the connection's source address is rewritten (MASQUERADE or SNAT).
    public var isSourceTranslated: Decision<Bool> {
        decide { outcome in
            if case .undetermined = outcome.verdict { return nil }
            return outcome.translations.contains(where: \.isSourceTranslation)
        }
    }

    /// Asks any question of the branches; a branch answering nil cannot tell, which makes the answer depend.
    public func decide<Value: Hashable & Sendable>(_ question: (Outcome) -> Value?) -> Decision<Value> {
        var answers: [Value] = []
        var undecided = false
        for outcome in outcomes {
            if let answer = question(outcome) {
                if !answers.contains(answer) { answers.append(answer) }
            } else {
                undecided = true
            }
        }
        if answers.count == 1 && !undecided && !truncated, let first = outcomes.first {
            return .holds(answers[0], because: first.steps)
        }
        var rules: [RuleReference] = []
        for outcome in outcomes {
            for rule in outcome.assumptions where !rules.contains(rule) { rules.append(rule) }
            for action in outcome.actions where !action.certain && !rules.contains(action.rule) { rules.append(action.rule) }
            if case .undetermined = outcome.verdict, let last = outcome.steps.last?.rule, !rules.contains(last) { rules.append(last) }
        }
        return .depends(on: rules.sorted { ($0.table, $0.line) < ($1.table, $1.line) }, possibilities: answers)
    }
}

extension Decision: CustomStringConvertible {
    /// One line for the answer, then one indented line per proving step or per rule it depends on.
    public var description: String {
        switch self {
        case .holds(let value, let steps):
            return (["\(value)"] + steps.map { "    \($0)" }).joined(separator: "\n")
        case .depends(let rules, let possibilities):
            let head = "depends (\(possibilities.map { "\($0)" }.joined(separator: " or "))) on"
            return ([head] + rules.map { "    \($0.table) \($0.chain) \($0)" }).joined(separator: "\n")
        }
    }
}
