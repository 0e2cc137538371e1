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

    @Option(name: .long, help: "Apply this saved plan (from `plan --out`) instead of planning now.")
    var plan: String?

    @Flag(name: .long, help: "Apply without asking for confirmation.")
    var yes = false

    func run() async throws {
        let outcome: (report: ApplyReport, counts: TransportCounts?)
        do {
            let pipeline = try SitePipeline(sitePath: options.site)
            printWarnings(pipeline)
            let gateway = try pipeline.singleGateway(named: options.gateway)
            let desired = try pipeline.desiredState(for: gateway)
            let saved = try plan.map { path in try savedPlan(at: path, for: gateway.name) }
            let mustAsk = saved == nil && !yes
            if mustAsk && isatty(STDIN_FILENO) != 1 { throw ApplyError.confirmationNeeded }
            let spec = try TransportSpec(gateway.connection)
            let logger = Logger(label: "gwsetup.apply")
            let siteName = pipeline.site.identity.name
            outcome = try await spec.withTransport(sshOptions: try connection.transportOptions(), logger: logger) { transport in
                let applier = GatewayApplier(desired: desired, logger: logger)
                let (facts, current) = try await applier.plan(over: transport)
                if let saved, let path = plan { try GatewayApplier.checkFresh(saved, against: current, planFile: path) }
                let chosen = saved ?? current
                if mustAsk && !chosen.isEmpty {
                    let printer = PlanPrinter(colors: PlanPrinter.wantsColors())
                    print(printer.render(chosen, header: "gwsetup apply for \(chosen.gateway) of \(siteName), on \(transport.describe)"))
                    print("Apply these changes to \(chosen.gateway)? Only 'yes' is accepted: ", terminator: "")
                    guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
                        throw ApplyCancelled()
                    }
                }
                if !chosen.isEmpty {
                    print("Applying \(chosen.changes.count) changes to \(chosen.gateway) on \(transport.describe) in one batch…")
                }
                let report = try await applier.apply(chosen, facts: facts, over: transport)
                return (report, TransportCounts(transport))
            }
        } catch {
            exitWithFailure(error)
        }
        print(ApplyReportPrinter(colors: PlanPrinter.wantsColors()).render(outcome.report, connections: outcome.counts), terminator: "")
        if let failure = outcome.report.failure {
            let detail = failure.stderr.lastMeaningfulLineText.map { ": \($0)" } ?? ""
            exitWithFailure(StepFailed(text: "\(outcome.report.gateway): apply stopped at `\(failure.step.title)` (status \(failure.status))\(detail)"))
        }
    }

    private func savedPlan(at path: String, for gateway: String) throws -> Plan {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch { throw StepFailed(text: "\(path): cannot read the plan file") }
        guard let plan = try PlanCoding.decode(data, source: path).first(where: { $0.gateway == gateway }) else {
            throw StepFailed(text: "\(path): the plan file has no plan for gateway \(gateway)")
        }
        return plan
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
