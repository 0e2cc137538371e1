import ArgumentParser
import Foundation
import GatewayKit
import Logging

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what would change on a gateway, exactly, and why.",
        discussion: "Connects to each gateway (one read-only probe) unless --offline. Exit 0 no changes, 2 changes (with --detailed-exitcode), 1 error."
    )

    @OptionGroup var options: SiteOptions
    @OptionGroup var connection: ConnectionOptions

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

    func run() async throws {
        var plans: [(plan: Plan, against: String)] = []
        let pipeline: SitePipeline
        do {
            pipeline = try SitePipeline(sitePath: options.site)
            printWarnings(pipeline)
            let sshOptions = try connection.transportOptions()
            let logger = Logger(label: "gwsetup.plan")
            for gateway in try pipeline.gateways(named: options.gateway) {
                let desired = try pipeline.desiredState(for: gateway)
                if offline {
                    plans.append((Planner.plan(desired, against: .freshDebian12), "a fresh Debian 12 (offline)"))
                    continue
                }
                let spec = try TransportSpec(gateway.connection)
                let plan = try await spec.withTransport(sshOptions: sshOptions, logger: logger) { transport in
                    try await GatewayApplier(desired: desired, logger: logger).plan(over: transport).plan
                }
                plans.append((plan, spec == .local ? "this host (local)" : "ssh \(spec)"))
            }
            if let out { try PlanCoding.encode(plans.map(\.plan)).write(to: URL(fileURLWithPath: out)) }
        } catch {
            exitWithFailure(error)
        }
        if json {
            print(String(decoding: try PlanCoding.encode(plans.map(\.plan)), as: UTF8.self))
        } else {
            let printer = PlanPrinter(colors: PlanPrinter.wantsColors(), showNewFiles: showNewFiles)
            for (plan, against) in plans {
                print(printer.render(plan, header: "gwsetup plan for \(plan.gateway) of \(pipeline.site.identity.name), against \(against)"))
            }
        }
        if detailedExitcode && plans.contains(where: { !$0.plan.isEmpty }) { throw ExitCode(2) }
    }
}
