import Foundation
import Testing
@testable import GatewayKit
@testable import GatewayBase
import TestSupport

/// The backbone's uplink openings on a real kernel: the rendered rules load, `gwsetup verify` holds the tinc ports as
/// intents of both families, and a tinc rule removed by hand fails its intent.
@Suite(.serialized) struct BackboneFirewallKernelTests {
    func site(in folder: ScratchFolder) throws -> String {
        let base = try String(contentsOfFile: TestPaths.example("single-gateway.yaml"), encoding: .utf8)
        return try folder.write("backbone.yaml", base + "\nbackbone: tinc\n")
    }

    @Test func theKernelHoldsTheTincPortsOfBothFamilies() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let path = try site(in: folder)
        let namespace = try ThrowawayNamespace()
        try loadRenderedRules(path, into: namespace)
        let result = try verifyLiveRules(path, namespace, folder)
        #expect(result.status == 0, "\(result.report.failing) \(result.report.drift.map(\.text))")
        let tinc = Dictionary(result.report.intents.filter { $0.id.contains("tinc") }.map { ($0.id, $0.expectation) }, uniquingKeysWith: { a, _ in a })
        #expect(tinc == ["ipv4.uplink.ffx.tinc-tcp": "accepted", "ipv4.uplink.ffx.tinc-udp": "accepted",
                         "ipv6.uplink.ffx.tinc-tcp": "accepted", "ipv6.uplink.ffx.tinc-udp": "accepted"], "\(tinc)")
    }

    @Test func aTincRuleRemovedByHandFailsItsIntent() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let result = try verifyAfterDeleting(["gw-wan-in", "-p", "udp", "-m", "udp", "--dport", "655", "-m", "comment", "--comment", "tinc ffx", "-j", "ACCEPT"],
                                             with: "ip6tables", site: try site(in: folder), folder)
        #expect(result.status == 2)
        #expect(result.report.failing == ["IPv6 uplink eth0: tinc ffx (udp/655) is open to the other gateways"])
        #expect(result.report.drift.map(\.kind) == ["missing"])
    }
}
