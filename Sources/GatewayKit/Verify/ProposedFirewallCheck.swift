/// Checks the rules a plan would load before anything touches the host, so a plan never locks the admins out.
///
/// Admin SSH (a NEW connection from every `ssh_allow_from` prefix to the SSH port on the uplink) must be proven
/// accepted; a rule that fails it, or whose answer depends on state, stops the plan unless forced. Every other
/// intent that does not hold becomes a warning.
public enum ProposedFirewallCheck {
    /// Returns warnings to show; throws ``FirewallLockoutError`` when admin SSH would be cut off and `force` is false.
    public static func check(site: Site, gateway: Gateway, desired: DesiredState, force: Bool) throws -> [String] {
        let rendered = try FirewallVerifier.renderedRulesets(desired)
        let report = FirewallVerifier.verify(gateway: gateway.name, intents: FirewallIntents.derive(site: site, gateway: gateway),
                                             checked: rendered, rendered: [])
        let adminSSH = Set(FirewallIntents.adminSSH(site: site, gateway: gateway).map(\.name))
        let lockouts = report.failing.filter { adminSSH.contains($0.name) }
        var warnings = report.failing.filter { !adminSSH.contains($0.name) }.map { finding in
            "warning: \(gateway.name): the proposed firewall: \(describe(finding))"
        }
        if !lockouts.isEmpty {
            let error = FirewallLockoutError(gateway: gateway.name, findings: lockouts)
            guard force else { throw error }
            warnings.insert("warning: \(error.problem) (planned anyway: --force-firewall)", at: 0)
        }
        return warnings
    }

    static func describe(_ finding: IntentFinding) -> String {
        let verdict = finding.status == .depends ? "depends on state" : "FAILS"
        let rules = finding.rules.map { $0.line == nil ? "\($0.location) \($0.text)" : $0.location }.joined(separator: ", ")
        return "\(finding.name) \(verdict)\(rules.isEmpty ? "" : " (\(rules))")"
    }
}

/// The proposed rules would refuse the admins' SSH: one line naming the intent and the rules that decide it.
public struct FirewallLockoutError: Error, Sendable, CustomStringConvertible {
    public let gateway: String
    public let findings: [IntentFinding]

    /// What is wrong, without the advice.
    public var problem: String {
        "\(gateway): the proposed firewall would cut off admin SSH: " + findings.map(ProposedFirewallCheck.describe).joined(separator: "; ")
    }

    public var description: String { problem + "; use --force-firewall to plan it anyway" }
}
