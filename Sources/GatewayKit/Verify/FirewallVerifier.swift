import GatewayBase
import FirewallKit

/// Checks a gateway's rules against the intents its site implies, and against the rules gwsetup renders for it.
public enum FirewallVerifier {
    /// Checks each family that has rules; intents of a family without rules are left out (not guessed).
    public static func verify(gateway: String, intents: [FirewallIntent], checked: [CheckedRuleset], rendered: [CheckedRuleset]) -> VerifyReport {
        var findings: [IntentFinding] = []
        var drift: [DriftFinding] = []
        var ignored = IgnoredRules(chains: [], jumps: [])
        for family in [IPFamily.ipv4, .ipv6] {
            guard let rules = checked.first(where: { $0.family == family }) else { continue }
            let evaluator = RulesetEvaluator(rules.ruleset)
            let index = RuleIndex(rules.ruleset)
            let familyIntents = intents.filter { $0.packet.family == family }
            let results = evaluator.check(familyIntents)
            findings += results.map { result in
                let nearMiss = result.status == .violated ? evaluator.nearMiss(for: result.intent) : nil
                return IntentFinding(result, file: rules.source, rules: index, nearMiss: nearMiss)
            }
            if let desired = rendered.first(where: { $0.family == family }) {
                var comparison = RulesetDrift.compare(checked: rules, rendered: desired)
                MovedRuleImpact.annotate(&comparison.findings, checked: rules, intents: familyIntents, baseline: results)
                drift += comparison.findings
                ignored.chains += comparison.ignored.chains
                ignored.jumps += comparison.ignored.jumps
            }
        }
        return VerifyReport(gateway: gateway, checked: checked, rendered: rendered.filter { r in checked.contains { $0.family == r.family } },
                            intents: findings, drift: drift, ignored: ignored)
    }

    /// Verifies `checked` for one gateway of a site: derives its intents and compares with the rules `desired` renders.
    public static func verify(site: Site, gateway: Gateway, desired: DesiredState, checked: [CheckedRuleset]) throws -> VerifyReport {
        verify(gateway: gateway.name, intents: FirewallIntents.derive(site: site, gateway: gateway),
               checked: checked, rendered: try renderedRulesets(desired))
    }

    /// The rules gwsetup would load, parsed; labelled with their path on the gateway and "(rendered)".
    public static func renderedRulesets(_ desired: DesiredState) throws -> [CheckedRuleset] {
        try [IPFamily.ipv4, .ipv6].compactMap { family in
            let path = DesiredState.firewallRulesPath(family)
            guard let file = desired.file(path) else { return nil }
            let label = "\(path) (rendered)"
            do {
                return CheckedRuleset(try RulesetParser.parse(file.content, file: label, family: family), source: label)
            } catch {
                throw VerifyError.renderedFirewallUnreadable("the rendered firewall cannot be read: \(error)")
            }
        }
    }
}
