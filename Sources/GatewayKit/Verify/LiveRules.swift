import Foundation
import Logging
import GatewayBase
import FirewallKit

/// A gateway's live rules as verify checks them: read by its facts probe (the one place they are read), one
/// labelled ruleset per family.
public enum LiveRules {
    /// Probes the gateway over an open transport for its rules alone; read-only, one round trip.
    public static func read(over transport: any Transport, logger: Logger) async throws -> [CheckedRuleset] {
        try rulesets(try await FactsProbe(request: .rulesOnly).gather(over: transport, logger: logger), host: transport.describe)
    }

    /// The probe's `iptables-save` and `ip6tables-save` dumps, parsed; line numbers count within each dump.
    public static func rulesets(_ facts: HostFacts, host: String) throws -> [CheckedRuleset] {
        let dumps = [("iptables-save", IPFamily.ipv4, facts.rulesV4), ("ip6tables-save", .ipv6, facts.rulesV6)]
        guard dumps.allSatisfy({ $0.2 != nil }) else {
            let got = dumps.filter { $0.2 != nil }.map(\.0)
            throw VerifyError.liveRulesUnreadable("\(host): the rules dump is incomplete (got \(got.isEmpty ? "neither; is iptables installed?" : got.joined(separator: ", ")))")
        }
        return try dumps.map { tool, family, dump in
            let label = "\(tool) on \(host)"
            return CheckedRuleset(try RulesetParser.parse(dump ?? "", file: label, family: family), source: label)
        }
    }
}
