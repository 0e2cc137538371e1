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

    func load(_ sitePath: String, into namespace: borrowing ThrowawayNamespace) throws {
        let site = try SiteLoader.load(path: sitePath).site
        let renderer = TemplateRenderer(store: TemplateStore(bundledDirectory: TestPaths.repository + "/Templates"))
        let desired = try DesiredStateBuilder(site: site, renderer: renderer).build(for: try #require(site.gateway("gw1")))
        for (tool, family) in [("iptables-restore", IPFamily.ipv4), ("ip6tables-restore", .ipv6)] {
            let restored = try namespace.exec([tool], input: try #require(desired.file(DesiredState.firewallRulesPath(family))).content)
            #expect(restored.status == 0, "\(tool): \(restored.error)")
        }
    }

    func verify(_ sitePath: String, _ namespace: borrowing ThrowawayNamespace, _ folder: ScratchFolder) throws -> (status: Int32, report: VerifyJSON) {
        let v4 = try namespace.exec(["iptables-save"]), v6 = try namespace.exec(["ip6tables-save"])
        let result = try runGwsetup(["verify", "--site", sitePath, "--rules", try folder.write("dump.v4", v4.output),
                                     "--rules6", try folder.write("dump.v6", v6.output), "--json"])
        return (result.status, try VerifyJSON.decode(result.output))
    }

    @Test func theKernelHoldsTheTincPortsOfBothFamilies() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let path = try site(in: folder)
        let namespace = try ThrowawayNamespace()
        try load(path, into: namespace)
        let result = try verify(path, namespace, folder)
        #expect(result.status == 0, "\(result.report.failing) \(result.report.drift.map(\.text))")
        let tinc = Dictionary(result.report.intents.filter { $0.id.contains("tinc") }.map { ($0.id, $0.expectation) }, uniquingKeysWith: { a, _ in a })
        #expect(tinc == ["ipv4.uplink.ffx.tinc-tcp": "accepted", "ipv4.uplink.ffx.tinc-udp": "accepted",
                         "ipv6.uplink.ffx.tinc-tcp": "accepted", "ipv6.uplink.ffx.tinc-udp": "accepted"], "\(tinc)")
    }

    @Test func aTincRuleRemovedByHandFailsItsIntent() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let path = try site(in: folder)
        let namespace = try ThrowawayNamespace()
        try load(path, into: namespace)
        let deleted = try namespace.exec(["ip6tables", "-D", "gw-wan-in", "-p", "udp", "-m", "udp", "--dport", "655",
                                          "-m", "comment", "--comment", "tinc ffx", "-j", "ACCEPT"])
        #expect(deleted.status == 0, "\(deleted.error)")
        let result = try verify(path, namespace, folder)
        #expect(result.status == 2)
        #expect(result.report.failing == ["IPv6 uplink eth0: tinc ffx (udp/655) is open to the other gateways"])
        #expect(result.report.drift.map(\.kind) == ["missing"])
    }
}
