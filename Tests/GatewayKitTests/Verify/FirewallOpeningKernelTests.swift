import Foundation
import Testing
@testable import GatewayKit
@testable import GatewayBase
import TestSupport

/// `firewall.open` on a real kernel: the rendered rules load, the kernel's dump holds every opening's intents, a rule
/// removed by hand fails its intent, and an opening dropped from the site is gone from the rules after the reload.
@Suite(.serialized) struct FirewallOpeningKernelTests {
    static let openings = """
        firewall:
          open:
            - {name: web, on: uplink, proto: tcp, port: 443}
            - {name: wireguard-ix, on: uplink, proto: udp, port: "51820-51830", from: [192.0.2.0/24, "2001:db8:1::/48"]}
            - {name: bird, on: mesh, proto: tcp, port: 179, from: [10.99.0.0/16]}

        """

    /// single-gateway.yaml with (or without) the openings, written where verify can read it.
    func site(in folder: ScratchFolder, withOpenings: Bool) throws -> String {
        let base = try String(contentsOfFile: TestPaths.example("single-gateway.yaml"), encoding: .utf8)
        return try folder.write(withOpenings ? "open.yaml" : "closed.yaml", withOpenings ? base + "\n" + Self.openings : base)
    }

    @Test func theKernelHoldsEveryOpeningsIntents() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let open = try site(in: folder, withOpenings: true)
        let namespace = try ThrowawayNamespace()
        try loadRenderedRules(open, into: namespace)
        let saved = try namespace.exec(["iptables-save", "-t", "filter"]).output
        #expect(saved.contains("-A gw-wan-in -p tcp -m tcp --dport 443 -m comment --comment \"open web\" -j ACCEPT"), "\(saved)")
        #expect(saved.contains("-A gw-wan-in -s 192.0.2.0/24 -p udp -m udp --dport 51820:51830 -m comment --comment \"open wireguard-ix\" -j ACCEPT"))
        let result = try verifyLiveRules(open, namespace, folder)
        #expect(result.status == 0, "\(result.report.failing) \(result.report.drift.map(\.text))")
        let opening = Dictionary(result.report.intents.filter { $0.id.contains("open-") }.map { ($0.id, $0.expectation) }, uniquingKeysWith: { a, _ in a })
        #expect(opening == [
            "ipv4.uplink.open-web": "accepted", "ipv6.uplink.open-web": "accepted",
            "ipv4.uplink.open-wireguard-ix": "accepted", "ipv4.uplink.open-wireguard-ix-last-port": "accepted",
            "ipv4.uplink.refused-open-wireguard-ix": "blocked",
            "ipv6.uplink.open-wireguard-ix": "accepted", "ipv6.uplink.open-wireguard-ix-last-port": "accepted",
            "ipv6.uplink.refused-open-wireguard-ix": "blocked",
            "ipv4.mesh.ffx.open-bird": "accepted", "ipv4.mesh.ffx.refused-open-bird": "blocked",
            "ipv6.mesh.ffx.closed-open-bird": "blocked",
        ], "\(opening)")
        let unused = try #require(result.report.intents.first { $0.id == "ipv4.uplink.closed-unused-tcp" })
        #expect(unused.name.contains("tcp/80"), "the closed-port check picks a port the site did not open: \(unused.name)")
    }

    @Test func anOpeningRemovedByHandFailsItsIntent() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let open = try site(in: folder, withOpenings: true)
        let result = try verifyAfterDeleting(["gw-wan-in", "-p", "tcp", "-m", "tcp", "--dport", "443", "-m", "comment", "--comment", "open web", "-j", "ACCEPT"],
                                             with: "iptables", site: open, folder)
        #expect(result.status == 2)
        #expect(result.report.failing == ["IPv4 uplink eth0: web (tcp/443) is accepted"])
        #expect(result.report.drift.map(\.kind) == ["missing"])
    }

    @Test func anOpeningDroppedFromTheSiteIsGoneAfterTheReload() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let open = try site(in: folder, withOpenings: true), closed = try site(in: folder, withOpenings: false)
        let namespace = try ThrowawayNamespace()
        try loadRenderedRules(open, into: namespace)
        // The live rules still hold the openings the site no longer has: verify names each one as drift.
        let stale = try verifyLiveRules(closed, namespace, folder)
        #expect(stale.status == 2)
        #expect(Set(stale.report.drift.filter { $0.kind == "unexpected" }.map(\.text)) == [
            "-A gw-wan-in -p tcp -m tcp --dport 443 -m comment --comment \"open web\" -j ACCEPT",
            "-A gw-wan-in -s 192.0.2.0/24 -p udp -m udp --dport 51820:51830 -m comment --comment \"open wireguard-ix\" -j ACCEPT",
            "-A gw-mesh-in -s 10.99.0.0/16 -p tcp -m tcp --dport 179 -m comment --comment \"open bird\" -j ACCEPT",
            "-A gw-wan-in -p tcp -m tcp --dport 443 -m comment --comment \"open web\" -j ACCEPT",
            "-A gw-wan-in -s 2001:db8:1::/48 -p udp -m udp --dport 51820:51830 -m comment --comment \"open wireguard-ix\" -j ACCEPT",
        ], "\(stale.report.drift.map(\.text))")
        try loadRenderedRules(closed, into: namespace)
        let saved = try namespace.exec(["iptables-save"]).output + (try namespace.exec(["ip6tables-save"]).output)
        #expect(!saved.contains("open "), "an opening survived the reload:\n\(saved)")
        let clean = try verifyLiveRules(closed, namespace, folder)
        #expect(clean.status == 0, "\(clean.report.failing) \(clean.report.drift.map(\.text))")
    }
}
