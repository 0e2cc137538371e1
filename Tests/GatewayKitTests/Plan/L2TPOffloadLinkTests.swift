import Foundation
import Testing
@testable import GatewayKit

/// Day two for a multi-TAP domain: peer interfaces come and go with the nodes, so plan neither expects nor misses
/// them, but names one that is not an up port of batman-adv, and apply repairs it by the instance's restart.
@Suite struct L2TPOffloadLinkTests {
    let desired: DesiredState

    init() throws { desired = try desiredState(example: "l2tp-offload.yaml", gateway: "gw1") }

    /// gw1 converged: both domains' bridges and batman-adv interfaces, fft's tap, and no ffl peer connected.
    func converged() -> HostFacts {
        var facts = convergedNetworkFacts(desired)
        for mesh in desired.meshLinks where mesh.fastdLinks.contains(where: { $0.peerInterfaceStem != nil }) { facts.network?.links[mesh.vpn] = nil }
        return facts
    }

    func lines(_ plan: Plan) -> [String] {
        plan.changes.map { "\(PlanPrinter.symbol($0.action)) \($0.kind.rawValue) \($0.resource)  \($0.reason)" }
    }

    @Test func peersComingAndGoingAreNoDrift() {
        var facts = converged()
        #expect(lines(Planner.plan(desired, against: facts)) == [], "no peer interface is missing while no node is connected")
        facts.network?.peerLinks = ["v10000-0123abcd": LinkFact(up: true, master: "bat-ffl"), "v10001-89abcdef": LinkFact(up: true, master: "bat-ffl")]
        #expect(lines(Planner.plan(desired, against: facts)) == [])
    }

    @Test func aPeerInterfaceOutsideBatmanIsNamedAndItsInstanceRestarts() throws {
        var facts = converged()
        facts.network?.peerLinks = ["v10000-0123abcd": LinkFact(up: true, master: "bat-ffl"), "v10001-89abcdef": LinkFact(up: false, master: nil)]
        let plan = Planner.plan(desired, against: facts)
        #expect(lines(plan) == [
            "~ link v10001-89abcdef  down, master none → bat-ffl",
            "! service restart fastd@ffl.2.service  its peers' v10001-… interfaces rejoin bat-ffl",
        ])
        // The plan's line is one apply accepts (a saved plan's check and the repair resolve it), and fastd's restart is the repair.
        let change = plan.changes[0]
        #expect(LinkRepair.resolve(change, desired) != nil)
        #expect(try LinkRepair.calls(for: [change], desired: desired) == [])
    }

    /// The tap domain beside it is checked as before: its vpn-fft missing is still drift.
    @Test func theTAPDomainBesideItStillNeedsItsTap() {
        var facts = converged()
        facts.network?.links["vpn-fft"] = nil
        #expect(lines(Planner.plan(desired, against: facts)).first == "~ link vpn-fft  missing")
    }

    /// Only gwsetup's stems followed by key digits are peer links; a node connecting does not make a saved plan stale.
    @Test func theProbeKeepsPeerInterfacesApartAndTheirChurnIsNotStaleness() throws {
        let probe = NetworkProbe(desired.meshLinks)
        #expect(probe.peerInterfaceStems == ["v10000-", "v10001-"])
        #expect(!probe.links.contains { $0.contains("%") } && probe.links.contains("vpn-fft"))
        var reader = LiveNetworkReader(probe: probe)
        try reader.read(["N"])
        let ip = LiveNetworkFixtures.ipLinks([
            LiveNetworkFixtures.loopback, LiveNetworkFixtures.l2tpPeer(name: "v10000-0123abcd"),
            LiveNetworkFixtures.l2tpPeer(name: "v10001-89abcdef", master: nil),
            LiveNetworkFixtures.l2tpPeer(name: "v1000-0123abcd"), LiveNetworkFixtures.l2tpPeer(name: "v10000-XYZ"),
        ])
        try reader.read(["n", ip])
        let network = try #require(reader.facts)
        let mac = "76:1c:e2:5a:10:83"
        #expect(network.peerLinks == ["v10000-0123abcd": LinkFact(up: true, master: "bat-ffl", mac: mac), "v10001-89abcdef": LinkFact(up: true, master: nil, mac: mac)])
        #expect(network.links.isEmpty)
        var later = converged()
        later.network?.peerLinks = network.peerLinks
        #expect(FactsDigest.hex(later) == FactsDigest.hex(converged()))
    }
}
