import ArgumentParser
import Foundation
import GatewayKit

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what would change on a gateway, exactly, and why."
    )

    @OptionGroup var options: SiteOptions

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

    @Flag(name: .long, help: "Plan firewall rules even if they would refuse the admins' SSH.")
    var forceFirewall = false

    func run() throws {
        let plans: [Plan]
        let pipeline: SitePipeline
        do {
            pipeline = try SitePipeline(sitePath: options.site)
            printWarnings(pipeline)
            guard offline else {
                throw RenderError("planning against a live gateway needs the apply engine; use --offline")
            }
            plans = try pipeline.gateways(named: options.gateway).map { gateway in
                let desired = try pipeline.desiredState(for: gateway)
                let warnings = try ProposedFirewallCheck.check(site: pipeline.site, gateway: gateway, desired: desired, force: forceFirewall)
                warnings.forEach(printToStandardError)
                return Planner.plan(desired, against: .freshDebian12)
            }
            if let out { try PlanCoding.encode(plans).write(to: URL(fileURLWithPath: out)) }
        } catch {
            exitWithFailure(error)
        }
        if json {
            print(String(decoding: try PlanCoding.encode(plans), as: UTF8.self))
        } else {
            let printer = PlanPrinter(colors: PlanPrinter.wantsColors(), showNewFiles: showNewFiles)
            for plan in plans {
                print(printer.render(plan, header: "gwsetup plan for \(plan.gateway) of \(pipeline.site.identity.name), against a fresh Debian 12 (offline)"))
            }
        }
        if detailedExitcode && plans.contains(where: { !$0.isEmpty }) { throw ExitCode(2) }
    }
}
