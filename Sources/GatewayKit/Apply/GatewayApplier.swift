import Foundation
import Logging

/// Plans and applies one gateway's desired state over a transport: probe, diff, then one script for all steps;
/// ``GatewaySession`` decides the order around it.
public struct GatewayApplier: Sendable {
    public let desired: DesiredState
    public let logger: Logger
    /// apt on a slow droplet can take many minutes; the gateway enforces this deadline itself.
    public var applyTimeout: Duration = .seconds(3600)
    /// Seconds a firewall change may stay unconfirmed before the gateway restores its previous rules on its own.
    public var firewallRollbackSeconds = 120
    /// How the gateway runs that rollback later; a transient systemd timer on a real gateway.
    public var rollbackScheduler: RollbackScheduler = .systemdRun
    /// Which names the gateway's manifest may claim, and where it lies: the gateway's own root, a scratch folder in tests.
    public var ownership: OwnershipPolicy = .gateway
    /// The account the transport logs in as, which a plan may not remove; nil for the local host or root.
    public var loginUser: String?

    public init(desired: DesiredState, logger: Logger) {
        self.desired = desired
        self.logger = logger
    }

    /// What a plan is made against: a fresh Debian 12 (`plan --offline`), or the host behind an open transport.
    public enum Facts: Sendable {
        case offline
        case transport(any Transport)
    }

    /// The one planning path: the host's facts (one read-only round trip, or none offline) and the plan against
    /// them. Refuses an admin that is a system account on this gateway before anything changes.
    public func plan(against source: Facts) async throws -> (facts: HostFacts, plan: Plan) {
        let facts: HostFacts
        switch source {
        case .offline: facts = .freshDebian12
        case .transport(let transport):
            var request = ProbeRequest(desired: desired)
            request.ownership = ownership
            facts = try await FactsProbe(request: request).gather(over: transport, logger: logger)
        }
        try AdminAccountCheck.check(desired, against: facts)
        try FastdKeyCheck.check(desired, against: facts)
        if case .transport = source { try TincKeyCheck.check(desired, against: facts) }
        let plan = Planner.plan(desired, against: facts)
        try RemovedLoginCheck.check(plan, loginUser: loginUser)
        logger.info("planned \(plan.changes.count) changes for \(desired.gateway)",
                    metadata: [LogKey.step: "plan", LogKey.gateway: "\(desired.gateway)", LogKey.outcome: plan.isEmpty ? "unchanged" : "changes"])
        return (facts, plan)
    }

    /// Runs `plan` in one round trip under the gateway's lock; nothing at all when the plan is empty.
    /// A failed step ends up in the report (with what ran before it), not in a throw.
    public func apply(_ plan: Plan, facts: HostFacts, over transport: any Transport,
                      holder: String = GatewayApplier.holderDescription()) async throws -> ApplyReport {
        var report = ApplyReport(gateway: plan.gateway, completed: [], failure: nil, publicKeys: facts.fastdPublicKeys)
        report.tincPublicKey = facts.tincPublicKey
        report.wireguardPublicKeys = facts.wireguardPublicKeys
        guard !plan.isEmpty else { return report }
        let rollback = FirewallRollback(token: Self.rollbackToken(), timeoutSeconds: firewallRollbackSeconds, scheduler: rollbackScheduler)
        let script = try ApplyScript(plan: plan, desired: desired, holder: holder, firewallRollback: rollback,
                                     ownership: ApplyOwnership(plan: plan, desired: desired, facts: facts, policy: ownership))
        let result = try await transport.run(script.script, stdin: script.payload, timeout: applyTimeout)
        let output = try ApplyOutputParser.parse(result.stdoutText, steps: script.steps, gateway: transport.describe)
        if let holder = output.lockHolder { throw ApplyError.locked(gateway: transport.describe, holder: holder) }
        report.completed = output.completed
        // Once armed, confirm whatever happened after: a later failure does not make rules that let us in wrong.
        if output.completed.contains(where: { $0.step.kind == .firewallArm }) {
            let confirmation = await FirewallConfirmation.confirm(rollback, over: transport)
            report.firewall = confirmation
            logger.log(level: confirmation.kept ? .info : .error, "\(confirmation)", metadata: [
                LogKey.step: "firewall-confirm", LogKey.outcome: "\(confirmation.kept ? "confirmed" : "rolled-back")",
                LogKey.gateway: "\(transport.describe)",
            ])
        }
        report.failure = output.failure
        report.publicKeys.merge(output.publicKeys) { $1 }
        report.tincPublicKey = output.tincPublicKey ?? report.tincPublicKey
        report.wireguardPublicKeys.merge(output.wireguardPublicKeys) { $1 }
        for outcome in output.completed { log(outcome.step, outcome: "changed", milliseconds: outcome.milliseconds, gateway: transport.describe) }
        if let failure = output.failure {
            log(failure.step, outcome: "failed", milliseconds: failure.milliseconds, gateway: transport.describe, level: .error)
        } else if !result.succeeded || output.completed.count != script.steps.count {
            let detail = result.stderrText.lastMeaningfulLine.map { ": \($0)" } ?? ""
            throw ApplyError.unreadableOutput(
                gateway: transport.describe,
                reason: "the script stopped after \(output.completed.count) of \(script.steps.count) steps with status \(result.status)\(detail)")
        }
        return report
    }

    private func log(_ step: ApplyStep, outcome: String, milliseconds: Int, gateway: String, level: Logger.Level = .info) {
        logger.log(level: level, "\(step.title): \(outcome)", metadata: [
            LogKey.step: "\(step.kind.rawValue)", LogKey.resource: "\(step.resource)", LogKey.outcome: "\(outcome)",
            LogKey.durationMilliseconds: "\(milliseconds)", LogKey.gateway: "\(gateway)",
        ])
    }

    /// Names one run's rollback state and timer, unique enough that two runs never share them.
    static func rollbackToken() -> String {
        let time = Int(Date().timeIntervalSince1970)
        return "\(time)-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// `gwsetup pid 4242 on laptop`: who holds the gateway's lock, for the message a second apply gets.
    public static func holderDescription() -> String {
        "gwsetup pid \(ProcessInfo.processInfo.processIdentifier) on \(ProcessInfo.processInfo.hostName)"
    }
}
