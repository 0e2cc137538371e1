import Foundation
import Testing
@testable import GatewayKit
@testable import GatewayBase
import TestSupport

/// The exit's firewall on a real kernel: gwa's rendered rules load into a throwaway namespace, `gwsetup verify` holds
/// every intent there, including that north's clients reach the uplink only as the fallback; and a rule taken away or
/// added by hand fails the intent it breaks.
@Suite(.serialized) struct ExitFirewallKernelTests {
    static let fallbackUplink = "exit: {endpoint: 192.0.2.50:51820, public_key: \(ExitFixture.serverKey), domains: [north], fallback: uplink}\n"

    /// gwa's live rules after `edit` (iptables arguments, one command each) ran in the namespace, verified against the site.
    func verify(_ yaml: String = ExitFixture.yaml(), after edits: [[String]] = []) throws -> (status: Int32, report: VerifyJSON) {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let path = try folder.write("exit.yaml", yaml)
        let namespace = try ThrowawayNamespace()
        try loadRenderedRules(path, gateway: "gwa", into: namespace)
        for edit in edits {
            let done = try namespace.exec(["iptables"] + edit)
            #expect(done.status == 0, "iptables \(edit.joined(separator: " ")): \(done.error)")
        }
        return try verifyLiveRules(path, gateway: "gwa", namespace, folder)
    }

    func expectations(_ report: VerifyJSON, _ prefix: String) -> [String: String] {
        Dictionary(report.intents.filter { $0.id.hasPrefix(prefix) }.map { ($0.id, $0.expectation) }, uniquingKeysWith: { a, _ in a })
    }

    @Test func theKernelHoldsEveryIntentOfAnExitGateway() throws {
        let result = try verify()
        #expect(result.status == 0, "\(result.report.failing) \(result.report.drift.map(\.text))")
        #expect(result.report.passed && result.report.drift.isEmpty)
        #expect(expectations(result.report, "ipv4.forward.north.") == [
            "ipv4.forward.north.outbound": "accepted", "ipv4.forward.north.refused-inbound": "blocked", "ipv4.forward.north.replies": "accepted",
            "ipv4.forward.north.masquerade": "masqueraded", "ipv4.forward.north.refused-uplink": "blocked",
            // The mesh's 1240 (1312 less batman-adv's 32, IPv4's and TCP's 40) is below the exit's 1380 (1420 - 40).
            "ipv4.forward.north.mss-clamp": "MSS at most 1240",
        ])
        // Each of north's forward intents is about gw-exit, except the one that says the uplink stays shut.
        let north = result.report.intents.filter { $0.id.hasPrefix("ipv4.forward.north.") }
        for intent in north where intent.id != "ipv4.forward.north.refused-uplink" {
            #expect(intent.name.contains("gw-exit") && !intent.name.contains("eth0"), "\(intent.name)")
        }
        #expect(north.first { $0.id == "ipv4.forward.north.refused-uplink" }?.name
                == "IPv4 forward north → eth0: clients are not forwarded to the uplink, only through the exit")
        // south is not carried: its clients still go out of the uplink, and nothing of the fallback is asked of it.
        let south = result.report.intents.filter { $0.id.hasPrefix("ipv4.forward.south.") }
        #expect(!south.isEmpty && south.allSatisfy { !$0.name.contains("gw-exit") && !$0.id.contains("uplink") })
        // IPv6 is not carried: north's IPv6 leaves through the uplink as before.
        let ipv6 = result.report.intents.filter { $0.family == "ipv6" }
        #expect(!ipv6.isEmpty)
        #expect(ipv6.allSatisfy { !$0.name.contains("gw-exit") && !$0.id.hasSuffix("-uplink") && !$0.id.contains("fallback") })
    }

    @Test func withoutTheExitsMasqueradeNorthsClientsLeaveUntranslated() throws {
        let result = try verify(after: [["-t", "nat", "-D", "POSTROUTING", "-s", "10.60.0.0/16", "-o", "gw-exit", "-m", "comment", "--comment",
                                         "NAT clients of north out the exit", "-j", "MASQUERADE"]])
        #expect(result.status == 2)
        let failing = result.report.intents.filter { $0.status != "holds" }.map(\.id)
        #expect(failing == ["ipv4.forward.north.masquerade"])
        #expect(result.report.drift.map(\.kind) == ["missing"])
    }

    @Test func aRuleLeakingClientsToTheUplinkFailsRefusedUplink() throws {
        let result = try verify(after: [["-A", "FORWARD", "-s", "10.60.0.0/16", "-i", "br-north", "-o", "eth0", "-j", "ACCEPT"]])
        #expect(result.status == 2)
        let failing = result.report.intents.filter { $0.status != "holds" }.map(\.id)
        #expect(failing == ["ipv4.forward.north.refused-uplink"])
        #expect(result.report.drift.map(\.kind) == ["unexpected"])
    }

    @Test func withTheUplinkAsFallbackTheKernelForwardsAndMasqueradesThere() throws {
        let result = try verify(ExitFixture.yaml(exit: Self.fallbackUplink))
        #expect(result.status == 0, "\(result.report.failing) \(result.report.drift.map(\.text))")
        let north = expectations(result.report, "ipv4.forward.north.")
        #expect(north["ipv4.forward.north.fallback-uplink"] == "accepted")
        #expect(north["ipv4.forward.north.fallback-masquerade"] == "masqueraded")
        #expect(north["ipv4.forward.north.refused-uplink"] == nil)
        #expect(north["ipv4.forward.north.masquerade"] == "masqueraded" && north["ipv4.forward.north.outbound"] == "accepted")
        // The fallback's NAT taken away: clients would reach the uplink with their private source addresses.
        let broken = try verify(ExitFixture.yaml(exit: Self.fallbackUplink), after: [[
            "-t", "nat", "-D", "POSTROUTING", "-s", "10.60.0.0/16", "-o", "eth0", "-m", "comment", "--comment",
            "NAT clients of north out the uplink while the exit is down", "-j", "MASQUERADE"]])
        #expect(broken.status == 2)
        #expect(broken.report.intents.filter { $0.status != "holds" }.map(\.id) == ["ipv4.forward.north.fallback-masquerade"])
    }

    /// A tunnel narrower than the mesh (an exit MTU of 1280 under a mesh MTU of 1426): SYNs through it carry the exit's
    /// 1240, which only the exit's own clamp gives them.
    @Test func aTunnelNarrowerThanTheMeshClampsToTheExitsMSS() throws {
        let exit = "exit: {endpoint: 192.0.2.50:51820, public_key: \(ExitFixture.serverKey), domains: [north], mtu: 1280}\n"
        let yaml = ExitFixture.yaml(exit: exit).replacingOccurrences(of: "prefix6: fd60::/64\n", with: "prefix6: fd60::/64\n    mtu: 1426\n")
        let result = try verify(yaml)
        #expect(result.status == 0, "\(result.report.failing) \(result.report.drift.map(\.text))")
        let clamp = try #require(result.report.intents.first { $0.id == "ipv4.forward.north.mss-clamp" })
        #expect(clamp.expectation == "MSS at most 1240" && clamp.name.hasSuffix("TCP MSS is set to the exit's 1240 on SYNs"), "\(clamp.name)")
        let broken = try verify(yaml, after: [["-t", "mangle", "-D", "FORWARD", "-o", "gw-exit", "-p", "tcp", "-m", "tcp", "--tcp-flags", "SYN,RST", "SYN",
                                               "-m", "comment", "--comment", "clamp MSS to the MTU of the exit", "-j", "TCPMSS", "--set-mss", "1240"]])
        #expect(broken.status == 2)
        #expect(broken.report.intents.filter { $0.status != "holds" }.map(\.id) == ["ipv4.forward.north.mss-clamp"], "the mesh's own clamp leaves 1354")
    }
}
