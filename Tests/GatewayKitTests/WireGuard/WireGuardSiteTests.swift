import Foundation
import Testing
@testable import GatewayKit
import GatewayBase
import TestSupport

/// What a Gluon node derives and the gateway must derive alike, and the site's WireGuard keys through their grammar.
@Suite struct WireGuardSiteTests {
    /// gluon_wireguard.sh's own pipeline on this key (`printf %s KEY | md5sum | sed …`) printed fe80::023d:c6ff:fea5:fe50.
    @Test func theNodeLinkAddressIsGluonsMd5EUI64() {
        let key = WireGuardPublicKey(WireGuardFixture.nodeA)!
        #expect(GluonWireGuardDerivation.nodeLinkAddress(key).description == "fe80::23d:c6ff:fea5:fe50")
    }

    /// Gluon's domain_seed_bytes("gluon-mesh-vxlan", 3) of this seed, computed with python3's hashlib: c36045.
    @Test func theVNIIsGluonsSeedBytes() {
        #expect(GluonWireGuardDerivation.vxlanID(domainSeed: WireGuardFixture.seed) == 0xc36045)
        #expect(GluonWireGuardDerivation.vxlanID(domainSeed: WireGuardFixture.seed.uppercased()) == 0xc36045, "the seed is lowered first")
    }

    @Test func aPeersFolderGivesItsKeysInFileOrder() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let loaded = try WireGuardFixture.load(folder, nodes: ["b-second": "\n\(WireGuardFixture.nodeB)\r\n", "a-first": "# the first node\n  \(WireGuardFixture.nodeA)\n",
                                                               ".gitignore": "not a key\n"])
        let mesh = try #require(loaded.site.domain("ffx")?.wireguard)
        #expect(mesh.peers.map(\.base64) == [WireGuardFixture.nodeA, WireGuardFixture.nodeB])
        #expect(mesh.port == 51820 && mesh.mtu == 1350 && mesh.pruneAfter == 300 && mesh.linkMTU == 1420)
        #expect(loaded.warnings.isEmpty, "\(loaded.warnings)")
        #expect(loaded.site.domain("south")?.wireguard == nil)
    }

    @Test func aBadLineIsRefusedAtItsFileAndLineWithoutEchoingIt() throws {
        for hostile in ["$(reboot)", "\(WireGuardFixture.nodeA) extra", String(repeating: "A", count: 1 << 20), "AAAA\u{1B}[2J="] {
            let folder = try ScratchFolder()
            defer { folder.cleanup() }
            let error = try #require(throws: SiteErrors.self) { try WireGuardFixture.load(folder, nodes: ["n1": "# ok\n\(hostile)\n"]) }
            let text = error.description
            #expect(text.hasPrefix("\(folder.path)/nodes/n1:2:1: not a WireGuard public key"), "\(text.prefix(200))")
            #expect(!text.contains("reboot") && !text.contains("\u{1B}") && text.count < 400, "\(text.prefix(200))")
        }
    }

    @Test func aKeyListedTwiceNamesBothPlaces() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let error = try #require(throws: SiteErrors.self) {
            try WireGuardFixture.load(folder, nodes: ["a": "\(WireGuardFixture.nodeA)\n", "b": "\n\(WireGuardFixture.nodeA)\n"])
        }
        #expect(error.description == "\(folder.path)/nodes/b:2:1: this node key is listed twice, first at \(folder.path)/nodes/a:1:1; a key belongs to one node")
    }

    @Test func aMissingSourceIsNamedAtItsSiteKey() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let yaml = WireGuardFixture.yaml(wireguard: "    wireguard: {peers: elsewhere}\n")
        let error = try #require(throws: SiteErrors.self) { try WireGuardFixture.load(folder, yaml: yaml) }
        #expect(error.description.hasPrefix("\(folder.path)/site.yaml:8:24: peers source "), "\(error)")
        #expect(error.description.contains("does not exist"))
    }

    @Test func crossChecks() throws {
        func errors(_ wireguard: String, seed: Bool = true) throws -> String {
            let folder = try ScratchFolder()
            defer { folder.cleanup() }
            do { _ = try WireGuardFixture.load(folder, yaml: WireGuardFixture.yaml(wireguard: wireguard, seed: seed)); return "" } catch { return "\(error)" }
        }
        #expect(try errors("    wireguard: {peers: nodes}\n", seed: false).contains("domain 'ffx' offers WireGuard, whose VXLAN ID nodes derive from the domain seed; add 'domain_seed'"))
        #expect(try errors("    wireguard: {port: 10000, peers: nodes}\n").contains("WireGuard port 10000 of domain 'ffx' collides with the fastd port of domain 'ffx'"))
        #expect(try errors("    wireguard: {port: 22, peers: nodes}\n").contains("collides with the SSH port"))
        #expect(try errors("    wireguard: {mtu: 1431, peers: nodes}\n").contains("site.yaml:8:22:"))
        #expect(try errors("    wireguard: {prune_after: 60, peers: nodes}\n").contains("site.yaml:8:30:"))
        #expect(try errors("    wireguard: {peers: nodes, keys: x}\n") != "")
        // Gluon's documented 1376 fragments on a 1500 uplink: a warning with the figures, not an error.
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let loaded = try WireGuardFixture.load(folder, yaml: WireGuardFixture.yaml(wireguard: "    wireguard: {mtu: 1376, peers: nodes}\n"))
        #expect(loaded.warnings.map(\.message) == ["mtu 1376 makes WireGuard packets of up to 1506 bytes over IPv4 and 1526 over IPv6 (VXLAN 70 + WireGuard 32 + UDP 8 + IP on top); above the uplink's 1500 (1460 behind DS-Lite) they fragment; 1350 avoids it"])
    }

    @Test func theGatewaysKeyIsAWireGuardKey() throws {
        let good = WireGuardFixture.yaml().replacingOccurrences(of: "    ssh: root@gw1.example\n", with: "    ssh: root@gw1.example\n    wireguard_public_key: \(WireGuardFixture.nodeB)\n")
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        #expect(try WireGuardFixture.load(folder, yaml: good).site.gateway("gw1")?.wireguardPublicKey?.base64 == WireGuardFixture.nodeB)
        let bad = good.replacingOccurrences(of: WireGuardFixture.nodeB, with: "\"$(id)\"")
        let other = try ScratchFolder()
        defer { other.cleanup() }
        let error = try #require(throws: SiteErrors.self) { try WireGuardFixture.load(other, yaml: bad) }
        #expect(error.description.contains("'wireguard_public_key' is not a WireGuard public key") && !error.description.contains("$(id)"), "\(error)")
    }
}
