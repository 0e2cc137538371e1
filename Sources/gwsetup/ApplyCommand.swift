import ArgumentParser
import Foundation
import GatewayKit

struct ApplyCommand: AsyncParsableCommand, VerboseCommand {
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
    @OptionGroup var verbosity: VerbosityOptions

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
        var selection = try SiteSelection(options, connection, firewallCheck, alwaysNameGateway: true)
        selection.session.firewallRollbackSeconds = firewallRollbackSeconds
        let (session, gateways, savedPlan) = (selection.session, selection.gateways, plan)
        if gateways.count > 1 && savedPlan == nil && !yes {
            throw StepFailed(text: "applying \(gateways.count) gateways at once needs --yes (or --plan); name one with --gateway to be asked")
        }
        let confirm = yes ? nil : Self.prompt(siteName: session.site.identity.name)
        guard gateways.count > 1 else {
            let result = try await session.apply(gateways[0], savedPlan: savedPlan, confirm: confirm) { print($0); fflush(nil) }
            print(Self.render(result), terminator: "")
            if let failed = result.report.failureLine { throw StepFailed(text: failed) }
            return
        }
        let buffers = Dictionary(gateways.map { ($0.name, LineBuffer()) }, uniquingKeysWith: { first, _ in first })
        let progress = selection.progress(verb: "applying")
        let results = await fleet.runner.run(gateways, finished: { result in
            if let progress { printToStandardError(progress.ended(result)) }
            print("== \(result.gateway)\n\(result.output)", terminator: "")
            fflush(nil)
        }, failure: { gateway, error in
            let text = FailureText.describe(error)
            buffers[gateway.name]!.append("error: \(TerminalLine.shown(text))")
            return (.failed(text), buffers[gateway.name]!.text)
        }) { gateway in
            if let progress { printToStandardError(progress.started(gateway.name)) }
            let lines = buffers[gateway.name]!
            let result = try await session.apply(gateway, savedPlan: savedPlan, confirm: confirm, progress: lines.append)
            lines.append(Self.render(result), newline: false)
            if let failed = result.report.failureLine { return (.failed(failed), lines.text) }
            let report = result.report
            return (report.completed.isEmpty ? .unchanged : .changed("\(report.completed.count) steps applied"), lines.text)
        }
        print(FleetSummary(results).table())
        let status = FleetSummary(results).exitStatus(detailed: false)
        if status != 0 { throw ExitCode(status) }
    }

    /// Shows the plan and takes only "yes"; asked only on a terminal, and only when there is something to apply.
    private static func prompt(siteName: String) -> ApplyConfirmation {
        ApplyConfirmation(available: isatty(STDIN_FILENO) == 1) { plan, host in
            print(PlanPrinter(colors: Terminal.wantsColors()).render(plan, header: "gwsetup apply for \(plan.gateway) of \(siteName), on \(host)"))
            print("Apply these changes to \(plan.gateway)? Only 'yes' is accepted: ", terminator: "")
            return readLine()?.trimmingCharacters(in: .whitespaces) == "yes"
        }
    }

    /// The report as people read it, with the SSH connections it cost.
    private static func render(_ result: GatewayApplyResult) -> String {
        let counts = TransportCounts(result.statistics).map { "\($0)\n" } ?? ""
        return ApplyReportPrinter(colors: Terminal.wantsColors()).render(result.report) + counts
    }
}
