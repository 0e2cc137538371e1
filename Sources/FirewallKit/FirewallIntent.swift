/// One thing the site needs from a gateway's firewall, phrased as a packet and what must happen to it.
public struct FirewallIntent: Hashable, Sendable {
    public enum Expectation: Hashable, Sendable, CustomStringConvertible {
        case accepted
        /// Dropped or rejected.
        case blocked
        /// MASQUERADE or SNAT rewrites the source (the nat table must see it on the path).
        case sourceTranslated
        case notSourceTranslated
        /// A non-terminating target such as TCPMSS runs on the packet.
        case targetApplied(String)
        /// TCPMSS sets the MSS of the SYN to this value or lower; `--clamp-mss-to-pmtu` alone does not count, it cannot see a tunnel's MTU.
        case mssSetAtMost(UInt16)

        public var description: String {
            switch self {
            case .accepted: "is accepted"
            case .blocked: "is blocked"
            case .sourceTranslated: "is masqueraded"
            case .notSourceTranslated: "is not masqueraded"
            case .targetApplied(let name): "goes through \(name)"
            case .mssSetAtMost(let mss): "has its MSS set to at most \(mss)"
            }
        }
    }

    /// What the admin reads, e.g. "DNS from the mesh (bat0, udp/53)".
    public var name: String
    /// A stable key for scripts (`ipv4.mesh.ffx.dns-udp`) when the caller gives one; the name otherwise stands in.
    public var id: String?
    public var packet: Packet
    public var path: PacketPath
    public var expectation: Expectation

    public init(_ name: String, id: String? = nil, packet: Packet, path: PacketPath, expect expectation: Expectation) {
        self.name = name
        self.id = id
        self.packet = packet
        self.path = path
        self.expectation = expectation
    }
}

/// The verdict on one intent, with the rules that prove it or that it hinges on.
public struct IntentResult: Hashable, Sendable, CustomStringConvertible {
    public enum Status: Hashable, Sendable {
        case holds
        case violated
        /// The ruleset's answer depends on state outside the packet (rate limits, recent lists, ipsets…).
        case undetermined
    }

    public var intent: FirewallIntent
    public var status: Status
    /// For holds/violated: the path that decided it. For undetermined: empty.
    public var evidence: [TraceStep]
    /// For undetermined: the rules whose undecidable matches the answer hinges on.
    public var dependsOn: [RuleReference]

    public var description: String {
        let mark = switch status {
        case .holds: "ok"
        case .violated: "FAILED"
        case .undetermined: "UNDECIDED"
        }
        var text = "\(mark): \(intent.name) \(intent.expectation)"
        switch status {
        case .holds, .violated:
            for step in evidence { text += "\n    \(step)" }
        case .undetermined:
            text += " depends on"
            for rule in dependsOn { text += "\n    \(rule.table) \(rule.chain) \(rule)" }
        }
        return text
    }
}

extension RulesetEvaluator {
    /// Checks each intent; an intent whose packet family differs from the ruleset is reported undetermined.
    public func check(_ intents: [FirewallIntent]) -> [IntentResult] {
        intents.map { intent in
            guard let evaluation = try? evaluate(intent.packet, path: intent.path) else {
                return IntentResult(intent: intent, status: .undetermined, evidence: [], dependsOn: [])
            }
            let decision: Decision<Bool> = switch intent.expectation {
            case .accepted: evaluation.decide { outcome in
                if case .undetermined = outcome.verdict { return nil }
                return outcome.verdict == .accept
            }
            case .blocked: evaluation.decide { outcome in
                if case .undetermined = outcome.verdict { return nil }
                return outcome.verdict.isBlocked
            }
            case .sourceTranslated: evaluation.isSourceTranslated
            case .notSourceTranslated: Self.negate(evaluation.isSourceTranslated)
            case .targetApplied(let name): evaluation.applies(targetNamed: name)
            case .mssSetAtMost(let mss): evaluation.setsMSS(atMost: mss)
            }
            switch decision {
            case .holds(let value, let steps):
                return IntentResult(intent: intent, status: value ? .holds : .violated, evidence: steps, dependsOn: [])
            case .depends(let rules, _):
                return IntentResult(intent: intent, status: .undetermined, evidence: [], dependsOn: rules)
            }
        }
    }

    private static func negate(_ decision: Decision<Bool>) -> Decision<Bool> {
        switch decision {
        case .holds(let value, let steps): .holds(!value, because: steps)
        case .depends(let rules, let possibilities): .depends(on: rules, possibilities: possibilities.map { !$0 })
        }
    }
}
