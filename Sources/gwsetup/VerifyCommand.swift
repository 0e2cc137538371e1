import ArgumentParser
import Foundation
import GatewayKit
import Logging
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
        let checked: [CheckedRuleset]
        if rules != nil || rules6 != nil {
            checked = try [(rules, IPFamily.ipv4), (rules6, .ipv6)].compactMap { path, family in
                try path.map { try CheckedRuleset.load(path: $0, family: family) }
            }
        } else {
            var logger = Logger(label: "gwsetup.verify")
            logger.logLevel = .warning
            checked = try await LiveRules.read(gateway: target, sshOptions: try connection.transportOptions(), logger: logger)
        }
        let report = try FirewallVerifier.verify(pipeline, gateway: target, checked: checked)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(VerifyReportPrinter(colors: PlanPrinter.wantsColors()).render(report))
        }
        if !report.passed { throw ExitCode(2) }
    }
}
