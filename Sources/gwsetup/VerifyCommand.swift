import ArgumentParser
import Foundation
import GatewayKit
import GatewayBase

struct VerifyCommand: AsyncParsableCommand, VerboseCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Prove the gateway's firewall does what the site needs, and show where it drifted.",
        discussion: """
            Without --rules, reads the live rules from the gateway (iptables-save and ip6tables-save over its ssh: \
            connection), one gateway after the other when several are named or none is. Exit 0 when every intent \
            holds and nothing drifted, 2 otherwise, 1 on error.
            """
    )

    @OptionGroup var options: SiteOptions
    @OptionGroup var verbosity: VerbosityOptions

    @Option(name: .long, help: "Check this IPv4 dump (iptables-save format) instead of the live rules.")
    var rules: String?

    @Option(name: .long, help: "Check this IPv6 dump (ip6tables-save format) instead of the live rules.")
    var rules6: String?

    @OptionGroup var connection: ConnectionOptions

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    func run() async throws {
        let pipeline = try options.loadPipeline(placeholders: .warn)
        let targets = try options.gateways(of: pipeline)
        let fromFiles = rules != nil || rules6 != nil
        if fromFiles && targets.count > 1 {
            throw StepFailed(text: "--rules and --rules6 hold one gateway's rules; name it with --gateway (\(targets.map(\.name).joined(separator: ", ")))")
        }
        let session = GatewaySession(pipeline: pipeline, sshOptions: fromFiles ? SSHTransport.Options() : try connection.transportOptions())
        var reports: [VerifyReport] = []
        for target in targets {
            let report = try await session.verify(target, rules: fromFiles ? .files(ipv4: rules, ipv6: rules6) : .live)
            if !json { print(VerifyReportPrinter(colors: Terminal.wantsColors(), workingDirectory: FileManager.default.currentDirectoryPath).render(report)) }
            reports.append(report)
        }
        if json {
            if reports.count == 1 { try Terminal.printJSON(reports[0]) } else { try Terminal.printJSON(VerifyFleetReport(reports: reports)) }
        }
        if reports.contains(where: { !$0.passed }) { throw ExitCode(2) }
    }
}
