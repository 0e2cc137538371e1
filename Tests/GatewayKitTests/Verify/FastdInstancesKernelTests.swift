import Foundation
import Testing
@testable import GatewayKit
@testable import GatewayBase
import TestSupport

/// A gateway with two fastd instances on its own ports, on a real kernel: verify holds one intent per port,
/// and a rule for one port removed by hand fails exactly that port's intent.
@Suite(.serialized) struct FastdInstancesKernelTests {
    let sitePath = TestPaths.example("fastd-instances.yaml")

    func load(into namespace: borrowing ThrowawayNamespace) throws {
        try loadRenderedRules(sitePath, gateway: "gw2", into: namespace)
    }

    func verify(_ namespace: borrowing ThrowawayNamespace, _ folder: ScratchFolder) throws -> (status: Int32, report: VerifyJSON) {
        try verifyLiveRules(sitePath, gateway: "gw2", namespace, folder)
    }

    @Test func everyInstancePortHasItsIntent() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let namespace = try ThrowawayNamespace()
        try load(into: namespace)
        let result = try verify(namespace, folder)
        #expect(result.status == 0, "\(result.report.failing) \(result.report.drift.map(\.text))")
        let fastd = result.report.intents.filter { $0.id.contains("fastd") }.map { "\($0.id) \($0.name)" }
        #expect(fastd == ["ipv4.uplink.ffz.fastd IPv4 uplink eth0: fastd ffz (udp/10012) is open to nodes",
                          "ipv4.uplink.ffz.fastd-2 IPv4 uplink eth0: fastd ffz.2 (udp/10013) is open to nodes",
                          "ipv6.uplink.ffz.fastd IPv6 uplink eth0: fastd ffz (udp/10012) is open to nodes",
                          "ipv6.uplink.ffz.fastd-2 IPv6 uplink eth0: fastd ffz.2 (udp/10013) is open to nodes"], "\(fastd)")
    }

    @Test func oneInstancesRuleRemovedFailsThatPortOnly() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let namespace = try ThrowawayNamespace()
        try load(into: namespace)
        let deleted = try namespace.exec(["iptables", "-D", "gw-wan-in", "-p", "udp", "-m", "udp", "--dport", "10013",
                                          "-m", "comment", "--comment", "fastd ffz.2", "-j", "ACCEPT"])
        #expect(deleted.status == 0, "\(deleted.error)")
        let result = try verify(namespace, folder)
        #expect(result.status == 2)
        #expect(result.report.failing == ["IPv4 uplink eth0: fastd ffz.2 (udp/10013) is open to nodes"], "\(result.report.failing)")
    }
}
