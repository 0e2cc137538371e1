import Foundation
import Testing
@testable import GatewayKit
@testable import GatewayBase
import TestSupport

/// The rendered rules loaded into a real kernel (a throw-away network namespace), dumped back and verified.
@Suite(.serialized) struct VerifyKernelTests {
    static let site = TestPaths.example("single-gateway.yaml")

    /// A namespace holding gw1's rendered rules, as gwsetup-firewall.service would load them.
    func loadedNamespace() throws -> ThrowawayNamespace {
        let namespace = try ThrowawayNamespace()
        for (tool, family) in [("iptables-restore", IPFamily.ipv4), ("ip6tables-restore", .ipv6)] {
            let restored = try namespace.exec([tool], input: try renderedRules("single-gateway.yaml", gateway: "gw1", family))
            #expect(restored.status == 0, "\(tool): \(restored.error)")
        }
        return namespace
    }

    /// What `iptables-save`/`ip6tables-save` print in the namespace, written to files for `--rules`/`--rules6`.
    func dump(_ namespace: borrowing ThrowawayNamespace, into folder: ScratchFolder) throws -> (v4: String, v6: String) {
        let v4 = try namespace.exec(["iptables-save"])
        let v6 = try namespace.exec(["ip6tables-save"])
        #expect(v4.status == 0 && v6.status == 0)
        return (try folder.write("dump.v4", v4.output), try folder.write("dump.v6", v6.output))
    }

    func verifyDump(_ files: (v4: String, v6: String)) throws -> (status: Int32, report: VerifyJSON, error: String) {
        let result = try runGwsetup(["verify", "--site", Self.site, "--rules", files.v4, "--rules6", files.v6, "--json"])
        return (result.status, try VerifyJSON.decode(result.output), result.error)
    }

    @Test func theKernelsDumpOfTheRenderedRulesHoldsEveryIntentWithoutDrift() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let namespace = try loadedNamespace()
        let result = try verifyDump(try dump(namespace, into: folder))
        #expect(result.status == 0, "\(result.report.failing) \(result.report.drift.map(\.text)) \(result.error)")
        #expect(result.report.summary.holds == result.report.summary.intents && result.report.summary.intents > 40)
        #expect(result.report.drift.isEmpty)
        let dns = try #require(result.report.intents.first { $0.name == "IPv4 mesh ffx: DNS over UDP from clients is answered" })
        #expect(dns.rules.last?.text == "-A gw-mesh-in -p udp -m udp --dport 53 -m comment --comment dns -j ACCEPT",
                "cited as the kernel printed it")
        #expect(dns.rules.last?.file == folder.path + "/dump.v4")
    }

    @Test func fail2bansChainsInTheKernelAreNotDrift() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let namespace = try loadedNamespace()
        // What fail2ban's iptables-multiport action does when the sshd jail starts and bans an address.
        for command in [["iptables", "-N", "f2b-sshd"], ["iptables", "-A", "f2b-sshd", "-j", "RETURN"],
                        ["iptables", "-I", "f2b-sshd", "1", "-s", "192.0.2.99", "-j", "REJECT", "--reject-with", "icmp-port-unreachable"],
                        ["iptables", "-I", "INPUT", "-p", "tcp", "-m", "multiport", "--dports", "22", "-j", "f2b-sshd"]] {
            let result = try namespace.exec(command)
            #expect(result.status == 0, "\(command.joined(separator: " ")): \(result.error)")
        }
        let result = try verifyDump(try dump(namespace, into: folder))
        #expect(result.status == 0, "\(result.report.drift.map(\.text))")
        #expect(result.report.ignored.chains == ["filter f2b-sshd (2 rules)"])
        #expect(result.report.ignored.jumps == ["filter INPUT: -A INPUT -p tcp -m multiport --dports 22 -j f2b-sshd"])
        let ssh = try #require(result.report.intents.first { $0.name == "IPv4 uplink eth0: SSH (tcp/22) from anywhere is accepted" })
        #expect(ssh.rules.map(\.chain) == ["INPUT", "f2b-sshd", "INPUT", "gw-wan-in"], "the packet passes fail2ban's chain and returns")
    }

    @Test func aRuleBrokenByHandInTheKernelFailsThatIntent() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let namespace = try loadedNamespace()
        let deleted = try namespace.exec(["iptables", "-D", "gw-mesh-in", "-p", "udp", "-m", "udp", "--dport", "53",
                                          "-m", "comment", "--comment", "dns", "-j", "ACCEPT"])
        #expect(deleted.status == 0, "\(deleted.error)")
        let result = try verifyDump(try dump(namespace, into: folder))
        #expect(result.status == 2)
        #expect(result.report.failing == ["IPv4 mesh ffx: DNS over UDP from clients is answered"])
        #expect(result.report.drift.map(\.kind) == ["missing"])
        #expect(result.report.drift.first?.file == "/etc/gwsetup/firewall/rules.v4 (rendered)")
    }

    @Test func withoutRulesVerifyReadsTheLiveKernelOverTheGatewaysTransport() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let site = try folder.write("site.yaml", try String(contentsOfFile: Self.site, encoding: .utf8)
            .replacingOccurrences(of: "ssh: root@gw1.ffx.example", with: "ssh: local\n    public_host: gw1.ffx.example"))
        let namespace = try loadedNamespace()
        let healthy = try namespace.exec([TestPaths.gwsetupBinary, "verify", "--site", site, "--json"])
        #expect(healthy.status == 0, "\(healthy.output)\(healthy.error)")
        let report = try VerifyJSON.decode(healthy.output)
        #expect(report.checked.ipv4 == "iptables-save on local" && report.checked.ipv6 == "ip6tables-save on local")
        #expect(report.failing.isEmpty && report.drift.isEmpty)

        #expect(try namespace.exec(["ip6tables", "-P", "FORWARD", "ACCEPT"]).status == 0)
        let broken = try namespace.exec([TestPaths.gwsetupBinary, "verify", "--site", site])
        #expect(broken.status == 2)
        // Issue 23: the verdict line carries the intent's id; drift sits under a header per chain, the policy on it.
        #expect(broken.output.contains("FAILS    ipv6.forward.ffx.refused-inbound"))
        #expect(broken.output.contains("  IPv6 forward eth0 → ffx: new connections from the internet are refused\n"))
        #expect(broken.output.contains("\n  IPv6 filter FORWARD  policy ACCEPT (rendered: DROP)\n"), "\(broken.output)")
    }
}
