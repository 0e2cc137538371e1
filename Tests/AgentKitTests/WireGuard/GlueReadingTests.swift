import Testing
@testable import AgentKit

/// The three listings the glue reads, parsed strictly: what does not parse is dropped and counted, never trusted.
@Suite struct GlueReadingTests {
    typealias S = GlueSamples

    @Test func peersJoinHandshakesAndAllowedIPsByKey() {
        let peers = WireGuardPeers(handshakes: S.handshakes, allowedIPs: S.allowedIPs)
        #expect(peers.ignoredLines == 0)
        #expect(peers.peers.map(\.publicKey) == [S.keyA, S.keyB, S.keyC, S.keyD])
        #expect(peers.peers[0] == .init(publicKey: S.keyA, latestHandshake: S.now - 12, allowedIPs: ["fe80::a/128"]))
        #expect(peers.peers[2].latestHandshake == 0)
        #expect(peers.peers[3].allowedIPs == ["10.0.0.4/32", "fe80::d/64"])
    }

    @Test func peerWithoutAllowedIPsOrHandshakeLine() {
        let peers = WireGuardPeers(handshakes: "\(S.keyA)\t5\n", allowedIPs: "\(S.keyA)\t(none)\n\(S.keyB)\tfe80::b/128\n")
        #expect(peers.peers == [.init(publicKey: S.keyA, latestHandshake: 5, allowedIPs: []),
                                .init(publicKey: S.keyB, latestHandshake: 0, allowedIPs: ["fe80::b/128"])])
    }

    @Test(arguments: [
        "wg-ffx\t\(GlueSamples.keyA)\t5",       // the `all` form, with an interface column
        "\(GlueSamples.keyA)\t-5",              // no sign in an epoch
        "\(GlueSamples.keyA)\t5 ",
        "\(GlueSamples.keyA) 5",
        "notakey\t5",
        "\(GlueSamples.keyA.dropLast())\t5",    // 43 characters
        "\(GlueSamples.keyA)\t99999999999999999999999",
    ])
    func malformedHandshakeLinesAreCounted(line: String) {
        let peers = WireGuardPeers(handshakes: "\(line)\n\(S.keyB)\t7\n", allowedIPs: "")
        #expect(peers.ignoredLines == 1)
        #expect(peers.peers.map(\.publicKey) == [S.keyB])
    }

    @Test(arguments: ["fe80::a/128  fe80::b/128", "fe80::a", "fe80::a/128,fe80::b/128", "fe80::a/1280", "fe80::a/128 $(reboot)/1", ""])
    func malformedAllowedIPLinesAreCounted(field: String) {
        let peers = WireGuardPeers(handshakes: "\(S.keyA)\t7\n", allowedIPs: "\(S.keyA)\t\(field)\n")
        #expect(peers.ignoredLines == 1)
        #expect(peers.peers == [.init(publicKey: S.keyA, latestHandshake: 7, allowedIPs: [])])
    }

    @Test func duplicateKeyKeepsTheFirstLine() {
        let peers = WireGuardPeers(handshakes: "\(S.keyA)\t7\n\(S.keyA)\t9\n", allowedIPs: "")
        #expect(peers.ignoredLines == 1 && peers.peers.map(\.latestHandshake) == [7])
    }

    @Test func floodEntriesAreTheAllZeroLinkLocalOnes() throws {
        let flood = try #require(FloodEntries(json: S.flood))
        #expect(flood.entries == [.init(address: try #require(NodeAddress("fe80::b")), via: "wg-ffx"),
                                  .init(address: try #require(NodeAddress("fe80::e")), via: nil)])
        #expect(flood.ignoredLines == 0)
    }

    @Test func floodEntriesOfOthersAreLeftOutAndGarbageCounted() throws {
        let json = """
            [{"mac":"00:00:00:00:00:00","dst":"fe80::1","port":4789,"flags":["self"]},
             {"mac":"00:00:00:00:00:00","dst":"fe80::2","vni":7},
             {"mac":"00:00:00:00:00:00","dst":"fe80::3","viaIfIndex":9,"linkNetNsId":0},
             {"mac":"00:00:00:00:00:00","dst":"192.0.2.1"},
             {"mac":"00:00:00:00:00:00","dst":"fe80::4; reboot"},
             {"mac":"00:00:00:00:00:00","dst":"fe80::5","viaIf":"wg ffx"},
             {"mac":"00:00:00:00:00:00"},
             7,
             {"mac":"00:00:00:00:00:00","dst":"FE80::6","viaIf":"wg-ffx"}]
            """
        let flood = try #require(FloodEntries(json: json))
        #expect(flood.entries == [.init(address: try #require(NodeAddress("fe80::6")), via: "wg-ffx")])
        #expect(flood.ignoredLines == 4)
    }

    @Test func routesAreTheLinkLocalHostRoutes() throws {
        let routes = try #require(NodeRoutes(json: S.routes, wireguard: "wg-ffx"))
        #expect(routes.addresses.map(\.description) == ["fe80::b", "fe80::f"])
        let mixed = """
            [{"dst":"fe80::/64","metric":256},{"dst":"2001:db8::1","metric":1024},{"dst":"fe80::1/128"},
             {"type":"unreachable","dst":"fe80::2"},{"dst":"fe80::3","dev":"wg-other"},{"dst":"fe80::4","protocol":"kernel"},
             {"dst":"fe80::5","table":"42"},{"dst":"nonsense"},{"metric":1}]
            """
        let parsed = try #require(NodeRoutes(json: mixed, wireguard: "wg-ffx"))
        #expect(parsed.addresses.map(\.description) == ["fe80::1"])
        #expect(parsed.ignoredLines == 2)
    }

    @Test func outputThatIsNoArrayIsUnknownAndNothingIsEmpty() {
        #expect(FloodEntries(json: "Cannot find device \"vx-ffx\"") == nil)
        #expect(NodeRoutes(json: "{}", wireguard: "wg-ffx") == nil)
        #expect(FloodEntries(json: "")?.entries == [])
        #expect(NodeRoutes(json: "[]\n", wireguard: "wg-ffx")?.addresses == [])
    }

    @Test func nodeAddressesAreLinkLocalOnly() {
        #expect(NodeAddress("fe80::1")?.description == "fe80::1")
        #expect(NodeAddress("febf:0:0:0:0:0:0:1")?.description == "febf::1")
        #expect(NodeAddress("fec0::1") == nil)
        #expect(NodeAddress("fe80::1%wg-ffx") == nil)
        #expect(NodeAddress("2001:db8::1") == nil)
        #expect(NodeAddress(hostPrefix: "fe80::1/128")?.hostPrefix == "fe80::1/128")
        #expect(NodeAddress(hostPrefix: "fe80::1/64") == nil)
        #expect(NodeAddress(hostPrefix: "fe80::1") == nil)
    }
}
