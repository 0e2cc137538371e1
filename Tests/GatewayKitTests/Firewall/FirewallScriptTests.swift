import Foundation
import Testing
@testable import GatewayKit
@testable import FirewallKit
import TestSupport

/// The host-side firewall loader, run for real with iptables in a throw-away network namespace.
@Suite("gwsetup-firewall: the atomic load that keeps fail2ban", .serialized)
struct FirewallScriptTests {
    /// A namespace and a folder holding the rendered script and rules, as apply leaves them on a gateway.
    struct Gateway {
        let namespace = "gwfw-\(UUID().uuidString.prefix(8).lowercased())"
        let directory: String
        let desired: DesiredState

        init() throws {
            directory = try Shell.temporaryDirectory()
            let pipeline = try SitePipeline(sitePath: TestPaths.example("single-gateway.yaml"))
            desired = try pipeline.desiredState(for: pipeline.singleGateway(named: nil))
            for path in [DesiredState.firewallScriptPath, "/etc/gwsetup/firewall/rules.v4", "/etc/gwsetup/firewall/rules.v6"] {
                try Data(try #require(desired.file(path)).content.utf8).write(to: URL(fileURLWithPath: "\(directory)/\((path as NSString).lastPathComponent)"))
            }
            #expect(try Shell.run("ip netns add \(namespace)").status == 0, "ip netns needs root; run Tests/setup.sh as root")
        }

        func run(_ script: String) throws -> Shell.Result {
            let quoted = script.replacingOccurrences(of: "'", with: "'\\''")
            return try Shell.run("ip netns exec \(namespace) sh -c '\(quoted)'",
                                 environment: ["GWSETUP_FIREWALL_RULES": directory, "GWSETUP_FIREWALL_STATE": "\(directory)/state"])
        }

        func firewall(_ arguments: String) throws -> Shell.Result { try run("sh \(directory)/gwsetup-firewall \(arguments)") }

        func cleanUp() {
            _ = try? Shell.run("ip netns delete \(namespace)")
            try? FileManager.default.removeItem(atPath: directory)
        }

        /// What fail2ban's iptables-multiport action does on start and on a ban.
        func startFail2banWithABan(_ address: String) throws {
            let result = try run("""
                iptables -N f2b-sshd && iptables -A f2b-sshd -j RETURN && iptables -I INPUT -p tcp -m multiport --dports 22 -j f2b-sshd \
                && iptables -I f2b-sshd 1 -s \(address)/32 -j REJECT --reject-with icmp-port-unreachable
                """)
            #expect(result.status == 0, "\(result.output)")
        }
    }

    @Test func loadInstallsTheRenderedRulesForBothFamilies() throws {
        let gateway = try Gateway()
        defer { gateway.cleanUp() }
        let load = try gateway.firewall("load")
        #expect(load.status == 0, "\(load.output)")
        let live4 = try RulesetParser.parse(try gateway.run("iptables-save").output, file: "live.v4", family: .ipv4)
        let rendered4 = try RulesetParser.parse(try #require(gateway.desired.file("/etc/gwsetup/firewall/rules.v4")).content, file: "rules.v4", family: .ipv4)
        #expect(live4.normalized == rendered4.normalized)
        let live6 = try RulesetParser.parse(try gateway.run("ip6tables-save").output, file: "live.v6", family: .ipv6)
        let rendered6 = try RulesetParser.parse(try #require(gateway.desired.file("/etc/gwsetup/firewall/rules.v6")).content, file: "rules.v6", family: .ipv6)
        #expect(live6.normalized == rendered6.normalized)
    }

    @Test func aReloadKeepsFail2bansChainItsBansAndItsJumpFirstInInput() throws {
        let gateway = try Gateway()
        defer { gateway.cleanUp() }
        #expect(try gateway.firewall("load").status == 0)
        try gateway.startFail2banWithABan("198.51.100.7")
        for _ in 1...2 {  // twice: a second reload must not duplicate anything
            let reload = try gateway.firewall("load")
            #expect(reload.status == 0, "\(reload.output)")
        }
        let dump = try gateway.run("iptables-save -t filter").output.split(separator: "\n").map(String.init)
        let input = dump.filter { $0.hasPrefix("-A INPUT ") }
        #expect(input.first == "-A INPUT -p tcp -m multiport --dports 22 -j f2b-sshd", "fail2ban's jump still comes first:\n\(input.joined(separator: "\n"))")
        #expect(input.filter { $0.contains("f2b-sshd") }.count == 1)
        #expect(dump.filter { $0.hasPrefix("-A f2b-sshd ") } == [
            "-A f2b-sshd -s 198.51.100.7/32 -j REJECT --reject-with icmp-port-unreachable",
            "-A f2b-sshd -j RETURN",
        ])
        #expect(input.count > 1, "the rendered INPUT rules are loaded too")
    }

    @Test func aRulesetIptablesRejectsLeavesTheLiveRulesAlone() throws {
        let gateway = try Gateway()
        defer { gateway.cleanUp() }
        #expect(try gateway.firewall("load").status == 0)
        let before = try gateway.run("iptables-save | grep -v '^#'").output
        try "*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j NO-SUCH-CHAIN\nCOMMIT\n"
            .write(toFile: "\(gateway.directory)/rules.v4", atomically: true, encoding: .utf8)
        let load = try gateway.firewall("load")
        #expect(load.status != 0)
        #expect(try gateway.run("iptables-save | grep -v '^#'").output == before)
    }
}
