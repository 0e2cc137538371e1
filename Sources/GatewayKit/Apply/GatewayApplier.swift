import Foundation
import Logging

/// Plans and applies one gateway's desired state over a transport: probe, diff, then one script for all steps.
public struct GatewayApplier: Sendable {
    public let desired: DesiredState
    public let logger: Logger
    /// apt on a slow droplet can take many minutes; the gateway enforces this deadline itself.
    public var applyTimeout: Duration = .seconds(3600)

    public init(desired: DesiredState, logger: Logger) {
        self.desired = desired
        self.logger = logger
    }

    /// The host's facts and the plan against them; one read-only round trip.
    public func plan(over transport: any Transport) async throws -> (facts: HostFacts, plan: Plan) {
        let facts = try await FactsProbe(request: ProbeRequest(desired: desired)).gather(over: transport, logger: logger)
        return (facts, Planner.plan(desired, against: facts))
    }

    /// Refuses a saved plan when the site or the host changed after it was made.
    public static func checkFresh(_ saved: Plan, against current: Plan, planFile: String) throws {
        if saved.desiredDigest != current.desiredDigest {
            throw ApplyError.stalePlan(planFile: planFile, gateway: saved.gateway, reason: "has a different site file (or templates)")
        }
        if saved.factsDigest != current.factsDigest {
            throw ApplyError.stalePlan(planFile: planFile, gateway: saved.gateway, reason: "has changed")
        }
    }

    /// Runs `plan` in one round trip under the gateway's lock; nothing at all when the plan is empty.
    /// A failed step ends up in the report (with what ran before it), not in a throw.
    public func apply(_ plan: Plan, facts: HostFacts, over transport: any Transport,
                      holder: String = GatewayApplier.holderDescription()) async throws -> ApplyReport {
        var report = ApplyReport(gateway: plan.gateway, completed: [], failure: nil, publicKeys: facts.fastdPublicKeys)
        guard !plan.isEmpty else { return report }
        let script = try ApplyScript(plan: plan, desired: desired, holder: holder)
        let result = try await transport.run(script.script, stdin: script.payload, timeout: applyTimeout)
        let output = try ApplyOutputParser.parse(result.stdoutText, steps: script.steps, gateway: transport.describe)
        if let holder = output.lockHolder { throw ApplyError.locked(gateway: transport.describe, holder: holder) }
        report.completed = output.completed
        report.failure = output.failure
        report.publicKeys.merge(output.publicKeys) { $1 }
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

    /// `gwsetup pid 4242 on laptop`: who holds the gateway's lock, for the message a second apply gets.
    public static func holderDescription() -> String {
        "gwsetup pid \(ProcessInfo.processInfo.processIdentifier) on \(ProcessInfo.processInfo.hostName)"
    }
}
