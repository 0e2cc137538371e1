import ArgumentParser
import Foundation
import GatewayKit
import GatewayBase

struct PlanCommand: AsyncParsableCommand, VerboseCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what would change on a gateway, exactly, and why.",
        discussion: "Connects to each gateway (one read-only probe) unless --offline. Exit 0 no changes, 2 changes (with --detailed-exitcode), 1 error."
    )

    @OptionGroup var options: SiteOptions
    @OptionGroup var fleet: FleetOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var verbosity: VerbosityOptions

    @Flag(name: .long, help: "Plan against a fresh Debian 12 without connecting anywhere.")
    var offline = false

    @Flag(name: .long, help: "Print the plan as JSON.")
    var json = false

    @Option(name: .long, help: "Save the plan to this file for `apply --plan`.")
    var out: String?

    @Flag(name: .long, help: "Show the content of files that do not exist yet.")
    var showNewFiles = false

    @Flag(name: .long, help: "Exit 0 when nothing would change, 2 when something would, 1 on error.")
    var detailedExitcode = false

    @OptionGroup var firewallCheck: FirewallCheckOptions

    func run() async throws {
        let selection = try SiteSelection(options, connection, firewallCheck, alwaysNameGateway: false)
        let (session, gateways) = (selection.session, selection.gateways)
        let printer = PlanPrinter(colors: Terminal.wantsColors(), showNewFiles: showNewFiles)
        let plans = PlanCollector()
        let single = gateways.count == 1
        let progress = selection.progress(verb: "planning")
        let results = await fleet.runner.run(gateways, finished: { result in
            if let progress { printToStandardError(progress.ended(result)) }
            if case .failed(let reason) = result.outcome {
                let named = reason.hasPrefix("\(result.gateway): ") ? reason : "\(result.gateway): \(reason)"
                if !single { printErrorLines(named) }
            } else if !json {
                print(result.output, terminator: "")
            }
        }, failure: { _, error in
            (.failed(FailureText.describe(error)), "")
        }) { [offline] gateway in
            if let progress { printToStandardError(progress.started(gateway.name)) }
            let (plan, against) = try await session.plan(gateway, against: offline ? .offline : .gateway)
            plans.add(plan)
            let header = "gwsetup plan for \(plan.gateway) of \(session.site.identity.name), against \(against)"
            return (plan.isEmpty ? .unchanged : .changed(plan.summaryText), printer.render(plan, header: header))
        }
        if single, case .failed(let reason) = results[0].outcome { throw StepFailed(text: reason) }
        let summary = FleetSummary(results)
        let ordered = plans.inOrder(of: gateways.map(\.name))
        if let out { try FileAccess.write(try PlanCoding.encode(ordered), to: out) }
        if json {
            print(String(decoding: try PlanCoding.encode(ordered), as: UTF8.self))
        } else if results.count > 1 {
            print(summary.table())
        }
        let status = summary.exitStatus(detailed: detailedExitcode)
        if status != 0 { throw ExitCode(status) }
    }
}
