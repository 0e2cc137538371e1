import Foundation
import Testing
import AgentKit

/// The real responder on a real socket in a network namespace with a bridge: what a map client gets, and what a
/// query from outside the mesh or a flood gets (nothing).
@Suite(.serialized) struct RespondResponderTests {
    static let everything = "GET nodeinfo statistics neighbours"

    private func answer(_ bytes: [UInt8]?) throws -> RespondDocuments.Answer {
        let compressed = try #require(bytes, "no answer")
        return try JSONDecoder().decode(RespondDocuments.Answer.self, from: Data(try RawDeflate.decompress(compressed)))
    }

    @Test func linkLocalMulticastQueryOnTheBridgeGetsEveryDocument() throws {
        let testbed = try RespondTestbed()
        _ = try testbed.startResponder(RespondTestbed.config(), source: FixtureRespondSource())
        let got = try answer(try testbed.ask(Self.everything, to: "ff02::2:1001", via: "vmesh1"))
        let nodeinfo = try #require(got.nodeinfo)
        #expect(nodeinfo.nodeID == "02005e100001")
        #expect(nodeinfo.hostname == "gw-test")
        #expect(nodeinfo.system.domainCode == "dom1" && nodeinfo.system.siteCode == "ffx")
        #expect(nodeinfo.software.fastd.publicKey == String(repeating: "ab", count: 32))
        #expect(nodeinfo.vpn)
        #expect(nodeinfo.owner?.contact == "noc@ffx.example")
        #expect(nodeinfo.network.mesh["bat-dom1"]?.interfaces["tunnel"] == [RespondTestbed.vpnMAC])
        #expect(got.statistics?.clients.total == 3)
        #expect(got.neighbours?.batadv[RespondTestbed.vpnMAC]?.neighbours.keys.sorted() == ["02:aa:00:00:00:01", "02:aa:00:00:00:02"])
    }

    @Test func siteLocalMulticastAndUnicastQueriesAreAnswered() throws {
        let testbed = try RespondTestbed()
        let responder = try testbed.startResponder(RespondTestbed.config(), source: FixtureRespondSource())
        #expect(try answer(try testbed.ask("GET nodeinfo", to: "ff05::2:1001", via: "vmesh1")).nodeinfo?.nodeID == "02005e100001")
        let unicast = try answer(try testbed.ask("GET statistics", to: RespondTestbed.meshAddress, via: "vmesh1"))
        #expect(unicast.statistics?.uptime == 1234.5)
        #expect(unicast.nodeinfo == nil, "only the sections asked for")
        #expect(settled(responder).answered == ["dom1": 2])
    }

    @Test func bareSectionNameGetsPlainJSON() throws {
        let testbed = try RespondTestbed()
        _ = try testbed.startResponder(RespondTestbed.config(), source: FixtureRespondSource())
        let plain = try #require(try testbed.ask("nodeinfo", to: RespondTestbed.meshAddress, via: "vmesh1"))
        let nodeinfo = try JSONDecoder().decode(RespondDocuments.NodeInfo.self, from: Data(plain))
        #expect(nodeinfo.hostname == "gw-test")
    }

    @Test func queryFromTheUplinkSideGetsNothing() throws {
        let testbed = try RespondTestbed()
        let responder = try testbed.startResponder(RespondTestbed.config(), source: FixtureRespondSource())
        #expect(try testbed.ask(Self.everything, to: RespondTestbed.uplinkAddress, via: "vup1", timeout: 800) == nil)
        #expect(try testbed.ask(Self.everything, to: "ff02::2:1001", via: "vup1", timeout: 800) == nil)
        #expect(settled(responder).answered.isEmpty)
        #expect(try testbed.ask(Self.everything, to: RespondTestbed.meshAddress, via: "vmesh1") != nil, "the mesh side still answers")
        // The mesh bridge's own address, reached over the uplink, is still not the mesh (Linux accepts it on any link).
        try testbed.routeMeshAddressOverUplink()
        #expect(try testbed.ask(Self.everything, to: RespondTestbed.meshAddress, via: "vup1", timeout: 800) == nil)
        #expect(settled(responder).answered == ["dom1": 1])
        #expect(settled(responder).ignored >= 2)
    }

    @Test func floodFromOneSourceIsCutAtTheBurst() throws {
        let testbed = try RespondTestbed()
        let responder = try testbed.startResponder(RespondTestbed.config(burst: 3), source: FixtureRespondSource())
        var answered = 0
        // Each query on a socket of its own, waiting long enough that a loaded machine's late answer still counts.
        for _ in 0..<6 where try testbed.ask("GET nodeinfo", to: RespondTestbed.meshAddress, via: "vmesh1", timeout: 3000) != nil {
            answered += 1
        }
        #expect(answered == 3)
        #expect(settled(responder).limited == ["dom1": 3])
    }

    /// The responder's counters once its thread has finished the answer the client already holds.
    private func settled(_ responder: RespondResponder) -> RespondCounters {
        usleep(200_000)
        return responder.statistics
    }
}
