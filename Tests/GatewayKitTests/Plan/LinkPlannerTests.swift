import Testing
@testable import GatewayKit

/// A converged gateway of single-gateway.yaml, with its mesh links exactly as the site implies them.
func convergedNetworkFacts(_ desired: DesiredState) -> HostFacts {
    var facts = convergedFacts(desired)
    var network = LiveNetwork()
    for mesh in desired.meshLinks {
        network.links[mesh.bridge] = LinkFact(up: true, addresses: mesh.bridgeAddresses.sorted(), multicastSnooping: mesh.bridgeMulticastSnooping)
        network.links[mesh.batman] = LinkFact(up: true, master: mesh.bridge)
        network.links[mesh.vpn] = LinkFact(up: true, master: mesh.batman)
        if let tap = mesh.backbone { network.links[tap] = LinkFact(up: true, master: mesh.batman) }
        let want = mesh.settings
        network.batman[mesh.batman] = BatmanFact(
            routingAlgorithm: want.routingAlgorithm, gatewayMode: "server", gatewayBandwidthDown: want.gatewayBandwidthDown,
            gatewayBandwidthUp: want.gatewayBandwidthUp, hopPenalty: want.hopPenalty, originatorInterval: want.originatorInterval,
            multicastMode: want.multicastMode)
    }
    facts.network = network
    return facts
}

@Suite("Live network drift plans one line per difference, with its reason, and only the restarts it needs")
struct LinkPlannerTests {
    let desired: DesiredState

    init() throws { desired = try desiredState(example: "single-gateway.yaml", gateway: "gw1") }

    func lines(_ plan: Plan) -> [String] {
        plan.changes.map { "\(PlanPrinter.symbol($0.action)) \($0.kind.rawValue) \($0.resource)  \($0.reason)" }
    }

    @Test func theSiteImpliesEveryLinkAndTheNumbersTheNetdevFileRenders() throws {
        let mesh = try #require(desired.meshLinks.first)
        #expect(desired.meshLinks.count == 1)
        #expect([mesh.vpn, mesh.batman, mesh.bridge] == ["vpn-ffx", "bat-ffx", "br-ffx"])
        #expect(mesh.bridgeAddresses == ["10.99.0.1/16", "fd99:1234:5678::1/64"])
        #expect(mesh.settings == BatmanRuntime(routingAlgorithm: "BATMAN_IV", gatewayBandwidthDown: 1000, gatewayBandwidthUp: 1000,
                                               hopPenalty: 60, originatorInterval: 5000, multicastMode: true))
        // The same numbers networkd is handed: GatewayBandwidthDown=100M is 1000 units of 100 kbit/s.
        let netdev = try #require(desired.file("/etc/systemd/network/30-bat-ffx.netdev")).content
        #expect(netdev.contains("GatewayBandwidthDown=100M") && netdev.contains("HopPenalty=60") && netdev.contains("RoutingAlgorithm=batman-iv"))
        #expect(DesiredStateBuilder.kernelBandwidth(networkd: "100M") == 1000)
        #expect(DesiredStateBuilder.kernelBandwidth(networkd: "1500K") == 15)
        #expect(DesiredStateBuilder.kernelBandwidth(networkd: "2G") == 20000)
    }

    @Test func aConvergedNetworkPlansNothing() {
        #expect(Planner.plan(desired, against: convergedNetworkFacts(desired)).changes == [])
    }

    @Test func aMissingBatmanInterfaceIsRecreatedAndFastdRejoinsIt() {
        var facts = convergedNetworkFacts(desired)
        facts.network?.links["bat-ffx"] = nil
        facts.network?.batman["bat-ffx"] = nil
        facts.network?.links["vpn-ffx"]?.master = nil
        let plan = Planner.plan(desired, against: facts)
        #expect(lines(plan) == [
            "~ link bat-ffx  missing",
            "~ link vpn-ffx  master none → bat-ffx",
            "! service restart fastd@ffx.service  vpn-ffx rejoins bat-ffx",
        ])
        #expect(plan.changes[1].triggers == [.restart("fastd@ffx.service")])
    }

    @Test func aMissingBridgeAddressIsNamed() {
        var facts = convergedNetworkFacts(desired)
        facts.network?.links["br-ffx"]?.addresses = ["fd99:1234:5678::1/64"]
        #expect(lines(Planner.plan(desired, against: facts)) == ["~ link br-ffx  address 10.99.0.1/16 missing"])
    }

    @Test func gwModeClientIsSwitchedBackToServer() {
        var facts = convergedNetworkFacts(desired)
        facts.network?.batman["bat-ffx"]?.gatewayMode = "client"
        facts.network?.batman["bat-ffx"]?.hopPenalty = 15
        #expect(lines(Planner.plan(desired, against: facts)) == ["~ batman bat-ffx gw_mode  client → server", "~ batman bat-ffx hop_penalty  15 → 60"])
    }

    @Test func everyRuntimeSettingHasItsLine() {
        var facts = convergedNetworkFacts(desired)
        facts.network?.batman["bat-ffx"] = BatmanFact(routingAlgorithm: "BATMAN_IV", gatewayMode: "server", gatewayBandwidthDown: 100, gatewayBandwidthUp: 20,
                                                      hopPenalty: 60, originatorInterval: 1000, multicastMode: false)
        facts.network?.links["br-ffx"]?.multicastSnooping = false
        #expect(lines(Planner.plan(desired, against: facts)) == [
            "~ link br-ffx multicast_snooping  off → on",
            "~ batman bat-ffx gw_bandwidth  10.0/2.0 MBit → 100.0/100.0 MBit",
            "~ batman bat-ffx orig_interval  1000 ms → 5000 ms",
            "~ batman bat-ffx multicast_mode  disabled → enabled",
        ])
    }

    /// networkd gives a bridge its netdev's MAC only when it makes it: a gateway renamed in the site (or cloned from
    /// another's image) keeps the old MAC, which another gateway of the domain may carry too.
    @Test func aBridgeWithAnotherMACIsNamedEvenWhenNetworkdRestarts() throws {
        var facts = convergedNetworkFacts(desired)
        let want = try #require(desired.meshLinks.first?.bridgeMAC)
        facts.network?.links["br-ffx"]?.mac = want
        #expect(lines(Planner.plan(desired, against: facts)).isEmpty, "the MAC the site renders is no drift")
        facts.network?.links["br-ffx"]?.mac = "02:11:22:33:44:55"
        #expect(lines(Planner.plan(desired, against: facts)) == ["~ link br-ffx mac  02:11:22:33:44:55 → \(want)"])
        // The netdev file changed too (the gateway's new name): networkd's restart is owed, and does not set the MAC.
        facts.files["/etc/systemd/network/20-br-ffx.netdev"]?.sha256 = String(repeating: "0", count: 64)
        #expect(lines(Planner.plan(desired, against: facts)).contains("~ link br-ffx mac  02:11:22:33:44:55 → \(want)"))
    }

    @Test func aFastdInterfaceOutsideTheMeshRestartsFastdAndNothingElse() {
        var facts = convergedNetworkFacts(desired)
        facts.network?.links["vpn-ffx"]?.master = nil
        let plan = Planner.plan(desired, against: facts)
        #expect(lines(plan) == ["~ link vpn-ffx  master none → bat-ffx", "! service restart fastd@ffx.service  vpn-ffx rejoins bat-ffx"])
        #expect(plan.changes.flatMap(\.triggers) == [.restart("fastd@ffx.service"), .restart("fastd@ffx.service")])
    }

    @Test func aChangedRoutingAlgorithmPlansADisruptiveRecreate() {
        var facts = convergedNetworkFacts(desired)
        facts.network?.batman["bat-ffx"]?.routingAlgorithm = "BATMAN_V"
        facts.network?.batman["bat-ffx"]?.hopPenalty = 0
        let plan = Planner.plan(desired, against: facts)
        #expect(lines(plan) == [
            "~ batman bat-ffx routing_algo  BATMAN_V → BATMAN_IV: recreates bat-ffx, disruptive: every node of domain ffx drops off for a moment",
            "! service restart fastd@ffx.service  vpn-ffx rejoins bat-ffx",
        ], "the recreated interface takes every other setting from its netdev file")
        #expect(plan.changes[0].triggers == [.restart("fastd@ffx.service")])
    }

    @Test func aDrainedGatewayIsLeftDrained() {
        var facts = convergedNetworkFacts(desired)
        facts.network?.drained = true
        facts.network?.batman["bat-ffx"]?.gatewayMode = "off"
        facts.network?.batman["bat-ffx"]?.gatewayBandwidthDown = 1
        #expect(Planner.plan(desired, against: facts).changes == [])
    }

    @Test func gwModeOffWithoutTheDrainMarkerIsDrift() {
        var facts = convergedNetworkFacts(desired)
        facts.network?.batman["bat-ffx"]?.gatewayMode = "off"
        #expect(lines(Planner.plan(desired, against: facts)) == ["~ batman bat-ffx gw_mode  off → server"])
    }

    @Test func aDrainedGatewayInClientModeIsStillDrift() {
        var facts = convergedNetworkFacts(desired)
        facts.network?.drained = true
        facts.network?.batman["bat-ffx"]?.gatewayMode = "client"
        #expect(lines(Planner.plan(desired, against: facts)) == ["~ batman bat-ffx gw_mode  client → server"])
    }

    @Test func linksOfUnitsThatStartInThisRunAreNotDrift() {
        var facts = convergedNetworkFacts(desired)
        facts.network = LiveNetwork()
        facts.units["systemd-networkd.service"]?.active = false
        facts.units["fastd@ffx.service"]?.active = false
        #expect(lines(Planner.plan(desired, against: facts)) == ["~ unit systemd-networkd.service  start", "~ unit fastd@ffx.service  start"])
    }

    @Test func theFreshDropletPlanHasNoLinkLines() {
        let plan = Planner.plan(desired, against: .freshDebian12)
        #expect(!plan.changes.contains { $0.kind == .link || $0.kind == .batman })
        #expect(HostFacts.freshDebian12.network == LiveNetwork())
    }

    /// The drain switches gw_mode on its own at any time; a saved plan must not go stale for it, but does for real drift.
    @Test func theDrainDoesNotMakeASavedPlanStaleButOtherDriftDoes() throws {
        let facts = convergedNetworkFacts(desired)
        var drained = facts
        drained.network?.drained = true
        drained.network?.batman["bat-ffx"]?.gatewayMode = "off"
        #expect(FactsDigest.hex(facts) == FactsDigest.hex(drained))
        var moved = facts
        moved.network?.links["vpn-ffx"]?.master = nil
        #expect(FactsDigest.hex(facts) != FactsDigest.hex(moved))
        var penalty = facts
        penalty.network?.batman["bat-ffx"]?.hopPenalty = 15
        #expect(FactsDigest.hex(facts) != FactsDigest.hex(penalty))
    }

    @Test func linkLinesSurviveTheJSONPlanAndASavedPlanCheck() throws {
        var facts = convergedNetworkFacts(desired)
        facts.network?.batman["bat-ffx"]?.gatewayMode = "client"
        facts.network?.links["bat-ffx"]?.up = false
        let plan = Planner.plan(desired, against: facts)
        let decoded = try PlanCoding.decode(PlanCoding.encode([plan]), source: "p.json")
        #expect(decoded == [plan])
        #expect(SavedPlanCheck.firstChangeOutside(desired, in: plan) == nil)
        var forged = plan
        forged.changes[0].resource = "eth0"
        #expect(SavedPlanCheck.firstChangeOutside(desired, in: forged) != nil, "a saved plan may name only links the site implies")
    }
}
