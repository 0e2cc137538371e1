import ArgumentParser
import Foundation
import GatewayKit
import GatewayBase

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Prove the gateway's firewall does what the site needs, and show where it drifted.",
        discussion: """
            Without --rules, reads the live rules from the gateway (iptables-save and ip6tables-save over its ssh: \
            connection). Exit 0 when every intent holds and nothing drifted, 2 otherwise, 1 on error.
            """
    )

    @OptionGroup var options: SiteOptions

    @Option(name: .long, help: "Check this IPv4 dump (iptables-save format) instead of the live rules.")
    var rules: String?

    @Option(name: .long, help: "Check this IPv6 dump (ip6tables-save format) instead of the live rules.")
    var rules6: String?

    @OptionGroup var connection: ConnectionOptions

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    func run() async throws {
        let pipeline = try options.loadPipeline()
        let target = try pipeline.singleGateway(named: options.gateway)
        let fromFiles = rules != nil || rules6 != nil
        let session = GatewaySession(pipeline: pipeline, sshOptions: fromFiles ? SSHTransport.Options() : try connection.transportOptions())
        let report = try await session.verify(target, rules: fromFiles ? .files(ipv4: rules, ipv6: rules6) : .live)
        if json {
            try Terminal.printJSON(report)
        } else {
            print(VerifyReportPrinter(colors: Terminal.wantsColors(), workingDirectory: FileManager.default.currentDirectoryPath).render(report))
        }
        if !report.passed { throw ExitCode(2) }
    }
}
