import ArgumentParser
import Foundation
import GatewayKit
import Logging

struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Make a gateway match the site: idempotent, over SSH or locally.",
        discussion: """
            Plans first and asks before changing anything (--yes skips the question; without a terminal it is required). \
            With --plan, applies a saved plan after checking the gateway has not changed since. Exit 0 done, 1 error.
            """
    )

    @OptionGroup var options: SiteOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var fleet: FleetOptions

    @Option(name: .long, help: "Apply this saved plan (from `plan --out`) instead of planning now.")
    var plan: String?

    @Flag(name: .long, help: "Apply without asking for confirmation.")
    var yes = false

    @OptionGroup var firewallCheck: FirewallCheckOptions

    @Option(name: .long, help: "Seconds after the apply ends that new firewall rules may stay unconfirmed before the gateway restores the old ones.")
    var firewallRollbackSeconds = 120

    func validate() throws {
        guard firewallRollbackSeconds >= 10 else {
            throw ValidationError("--firewall-rollback-seconds must be at least 10, not \(firewallRollbackSeconds)")
        }
    }

    func run() async throws {
        let selection = try SiteSelection(options, connection)
        if selection.gateways.count > 1 && plan == nil && !yes {
            throw StepFailed(text: "applying \(selection.gateways.count) gateways at once needs --yes (or --plan); name one with --gateway to be asked")
        }
        let (pipeline, gateways, sshOptions) = (selection.pipeline, selection.gateways, selection.sshOptions)
        guard gateways.count > 1 else {
            let outcome = try await applyOne(gateways[0], pipeline, sshOptions) { print($0); fflush(nil) }
            print(ApplyReportPrinter(colors: PlanPrinter.wantsColors()).render(outcome.report, connections: outcome.counts), terminator: "")
            if let failed = Self.failureLine(outcome.report) { throw StepFailed(text: failed) }
            return
        }
        let results = await fleet.runner.run(gateways, finished: { result in
            print("== \(result.gateway)\n\(result.output)", terminator: "")
            fflush(nil)
        }) { gateway in
            let lines = LineBuffer()
            do {
                let (report, counts) = try await applyOne(gateway, pipeline, sshOptions, emit: lines.append)
                lines.append(ApplyReportPrinter(colors: PlanPrinter.wantsColors()).render(report, connections: counts), newline: false)
                if let failed = Self.failureLine(report) { return (.failed(failed), lines.text) }
                return (report.completed.isEmpty ? .unchanged : .changed("\(report.completed.count) steps applied"), lines.text)
            } catch {
                let text = FailureText.describe(error)
                lines.append("error: \(TerminalLine.shown(text))")
                return (.failed(text), lines.text)
            }
        }
        print(FleetSummary(results).table())
        let status = FleetSummary(results).exitStatus(detailed: false)
        if status != 0 { throw ExitCode(status) }
    }

    /// Plans, asks (single gateway on a terminal without --yes), applies and confirms the firewall on one gateway;
    /// `emit` shows progress lines as they happen (or keeps them together in a fleet run).
    private func applyOne(_ gateway: Gateway, _ pipeline: SitePipeline, _ sshOptions: SSHTransport.Options,
                          emit: @escaping @Sendable (String) -> Void) async throws -> (report: ApplyReport, counts: TransportCounts?) {
        let desired = try pipeline.desiredState(for: gateway)
        try firewallCheck.check(pipeline, gateway, desired, prefix: "\(gateway.name): ")
        let saved = try plan.map { path in try SavedPlan.load(path, for: desired) }
        let mustAsk = saved == nil && !yes
        if mustAsk && isatty(STDIN_FILENO) != 1 { throw ApplyError.confirmationNeeded }
        let spec = try TransportSpec(gateway.connection)
        var logger = Logger(label: "gwsetup.apply")
        logger[metadataKey: LogKey.gateway] = "\(gateway.name)"
        let siteName = pipeline.site.identity.name
        let rollbackSeconds = firewallRollbackSeconds
        return try await spec.withTransport(sshOptions: sshOptions, logger: logger) { transport in
            var applier = GatewayApplier(desired: desired, logger: logger)
            applier.firewallRollbackSeconds = rollbackSeconds
            // Only the fresh plan is ever applied; a saved one only has to match it.
            let (facts, chosen) = try await applier.plan(over: transport, keeping: saved)
            if mustAsk && !chosen.isEmpty {
                let printer = PlanPrinter(colors: PlanPrinter.wantsColors())
                print(printer.render(chosen, header: "gwsetup apply for \(chosen.gateway) of \(siteName), on \(transport.describe)"))
                print("Apply these changes to \(chosen.gateway)? Only 'yes' is accepted: ", terminator: "")
                guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
                    throw ApplyCancelled()
                }
            }
            if !chosen.isEmpty {
                emit("Applying \(chosen.changes.count) changes to \(chosen.gateway) on \(transport.describe) in one batch…")
            }
            let report = try await applier.apply(chosen, facts: facts, over: transport)
            return (report, TransportCounts(transport))
        }
    }

    /// The one line an apply that did not fully succeed ends with; nil when it did.
    private static func failureLine(_ report: ApplyReport) -> String? {
        if let failure = report.failure {
            let detail = failure.stderr.lastMeaningfulLineText.map { ": \($0)" } ?? ""
            return "\(report.gateway): apply stopped at `\(failure.step.title)` (status \(failure.status))\(detail)"
        }
        if let firewall = report.firewall, !firewall.kept { return "\(report.gateway): \(firewall)" }
        return nil
    }
}

/// The user answered anything but "yes"; nothing was changed.
private struct ApplyCancelled: Error, CustomStringConvertible {
    var description: String { "apply cancelled; nothing was changed" }
}

/// A one-line failure the command itself words.
private struct StepFailed: Error, CustomStringConvertible {
    var text: String
    var description: String { text }
}

private extension String {
    var lastMeaningfulLineText: String? {
        split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.last { !$0.isEmpty }
    }
}
