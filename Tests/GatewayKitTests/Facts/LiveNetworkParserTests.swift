import Foundation
import Testing
@testable import GatewayKit

@Suite("The probe's network records read back into live links and batman-adv settings, strictly")
struct LiveNetworkParserTests {
    static let probe = NetworkProbe(links: ["vpn-ffx", "bat-ffx", "br-ffx"], batman: ["bat-ffx"])
    let request: ProbeRequest = {
        var request = ProbeRequest(files: [], units: [], sysctlKeys: [], modules: [], fastdKeys: [])
        request.network = probe
        return request
    }()

    func parse(_ records: String) throws -> HostFacts {
        try ProbeOutputParser.parse("\(ProbeScript.header)\n\(records)\n\(ProbeScript.trailer)\n", request: request, gateway: "gw1")
    }

    @Test func aConvergedGatewayReadsAsItsLinksMastersAddressesAndSettings() throws {
        let network = try #require(try parse(LiveNetworkFixtures.records()).network)
        #expect(network.links == [
            "br-ffx": LinkFact(up: true, addresses: ["10.99.0.1/16", "fd99:1234:5678::1/64"], multicastSnooping: true, mac: "02:4b:7e:1c:9a:30"),
            "bat-ffx": LinkFact(up: true, master: "br-ffx", mac: "de:ad:be:ef:01:02"),
            "vpn-ffx": LinkFact(up: true, master: "bat-ffx", mac: "6e:21:9c:4d:0b:77"),
        ], "eth0 and lo are not asked for; link-local and host addresses are left out")
        #expect(network.batman == ["bat-ffx": BatmanFact(routingAlgorithm: "BATMAN_IV", gatewayMode: "server", gatewayBandwidthDown: 1000,
                                                         gatewayBandwidthUp: 1000, hopPenalty: 60, originatorInterval: 5000, multicastMode: true)])
        #expect(!network.drained)
    }

    @Test func aDeletedBatmanInterfaceAndADetachedVPNReadAsSuch() throws {
        let ip = LiveNetworkFixtures.ipLinks([LiveNetworkFixtures.bridge(), LiveNetworkFixtures.vpn(master: nil)])
        let network = try #require(try parse(LiveNetworkFixtures.records(ip: ip, mesh: nil)).network)
        #expect(network.links["bat-ffx"] == nil)
        #expect(network.links["vpn-ffx"] == LinkFact(up: true, master: nil, mac: "6e:21:9c:4d:0b:77"))
        #expect(network.batman.isEmpty)
    }

    @Test func aDownLinkAndTheDrainMarkerAreFacts() throws {
        let ip = LiveNetworkFixtures.ipLinks([LiveNetworkFixtures.bridge(flags: #""BROADCAST","MULTICAST""#), LiveNetworkFixtures.batman()])
        let network = try #require(try parse(LiveNetworkFixtures.records(ip: ip, mesh: LiveNetworkFixtures.meshJSON(gwMode: "off"), drained: true)).network)
        #expect(network.links["br-ffx"]?.up == false)
        #expect(network.drained)
        #expect(network.batman["bat-ffx"]?.gatewayMode == "off")
    }

    @Test func addressesAreReadInCanonicalSpellingWithoutFailedDAD() throws {
        let spelled = #"{"family":"inet6","local":"FD99:1234:5678:0:0:0:0:2","prefixlen":64,"scope":"global"}"#
        let failed = #"{"family":"inet6","local":"fd99:1234:5678::1","prefixlen":64,"scope":"global","dadfailed":true,"tentative":true}"#
        let ip = LiveNetworkFixtures.ipLinks([LiveNetworkFixtures.bridge(addresses: [spelled, failed])])
        let network = try #require(try parse(LiveNetworkFixtures.records(ip: ip, mesh: nil)).network)
        #expect(network.links["br-ffx"]?.addresses == ["fd99:1234:5678::2/64"])
    }

    @Test func aMasterOutsideGwsetupsNamesIsKeptQuotedNeverAsIs() throws {
        let ip = #"[{"ifname":"bat-ffx","flags":["UP"],"master":"br-ffx\u001b[2J; reboot"}]"#
        let network = try #require(try parse(LiveNetworkFixtures.records(ip: ip, mesh: nil)).network)
        let master = try #require(network.links["bat-ffx"]?.master)
        #expect(master.hasPrefix("'") && !master.unicodeScalars.contains { $0.value == 0x1b })
    }

    @Test func withoutTheNetworkRecordsTheNetworkIsUnknownNotEmpty() throws {
        let facts = try ProbeOutputParser.parse("\(ProbeScript.header)\n\(ProbeScript.trailer)\n",
                                                request: ProbeRequest(files: [], units: [], sysctlKeys: [], modules: [], fastdKeys: []), gateway: "gw1")
        #expect(facts.network == nil)
    }

    @Test(arguments: [
        ("n\t[{\"ifname\":\"br-ffx\",\"flags\":\"UP\"}]", "wrong type"),
        ("n\tnot json", "not JSON"),
        ("n\t{\"ifname\":\"br-ffx\"}", "not a list"),
        ("n\t[{\"ifname\":\"br-ffx\",\"addr_info\":[{\"family\":\"inet\",\"local\":\"10.99.0.999\",\"prefixlen\":16,\"scope\":\"global\"}]}]", "not a list"),
        ("n\t[{\"ifname\":\"br-ffx\",\"addr_info\":[{\"family\":\"inet\",\"local\":\"10.99.0.1\",\"prefixlen\":99,\"scope\":\"global\"}]}]", "not a list"),
        ("n\t[{\"ifname\":\"br-ffx\"},{\"ifname\":\"br-ffx\"}]", "twice"),
        ("B\tbat-ffx\t{\"algo_name\":\"BATMAN_IV\"}", "no gw_mode"),
        ("B\tbat-evil\t" + LiveNetworkFixtures.meshJSON(), "not asked for"),
        ("B\tbat-ffx\t" + LiveNetworkFixtures.meshJSON(algorithm: "BATMAN_XI"), "unknown routing algorithm"),
        ("B\tbat-ffx\t" + LiveNetworkFixtures.meshJSON(gwMode: "unknown"), "unknown gw_mode"),
        ("B\tbat-ffx\t" + LiveNetworkFixtures.meshJSON(hopPenalty: 300), "out of its range"),
    ])
    func hostileRecordsAreRefusedWithTheirLine(record: String, why: String) throws {
        let error = #expect(throws: ProbeError.self) { try parse("N\n" + record) }
        #expect(error?.reason.hasPrefix("probe output line 3: ") == true, "\(error?.reason ?? "")")
        #expect(error?.reason.contains(why) == true, "\(error?.reason ?? "")")
    }

    @Test func networkRecordsNobodyAskedForAreRefused() {
        #expect(throws: ProbeError.self) {
            try ProbeOutputParser.parse("\(ProbeScript.header)\nN\n\(ProbeScript.trailer)\n",
                                        request: ProbeRequest(files: [], units: [], sysctlKeys: [], modules: [], fastdKeys: []), gateway: "gw1")
        }
    }

    @Test func theProbeReadsEveryLinkWithOneIPCallAndBatctlOnlyForExistingInterfaces() {
        let script = ProbeScript.make(for: request)
        #expect(script.components(separatedBy: "ip -j -d addr show").count == 2, "one ip process for every link")
        #expect(script.contains(#"[ -d "/sys/class/net/$b" ] && j=$(batctl meshif "$b" mesh_json"#))
        #expect(script.contains("[ -e '/run/gwsetup/drained' ] && echo D") || script.contains("[ -e /run/gwsetup/drained ] && echo D"))
        #expect(!ProbeScript.make(for: .rulesOnly).contains("ip -j"), "verify's probe reads no links")
    }

    /// The probe section runs for real: on a host without these links it reports them missing and is still read whole.
    @Test func theNetworkSectionRunsInAPOSIXShellAndParses() async throws {
        let result = try await LocalShell(root: .asIs).run(ProbeScript.make(for: request))
        #expect(result.status == 0)
        let facts = try ProbeOutputParser.parse(result.stdoutText, request: request, gateway: "local")
        let network = try #require(facts.network)
        #expect(network.links.isEmpty && network.batman.isEmpty)
        #expect(network.drained == FileManager.default.fileExists(atPath: LiveNetwork.drainedMarker))
    }

    /// Real iproute2 output, not a fixture: a bridge with the site's addresses and a port, made in a throwaway network
    /// namespace (batman-adv itself is not in this kernel, so a veth stands in for bat-ffx; batctl reads nothing).
    @Test func theProbeReadsRealLinksOfANetworkNamespace() throws {
        let namespace = try ThrowawayNamespace()
        for command in [
            "ip link add br-ffx type bridge mcast_snooping 0", "ip link set br-ffx address 02:4b:7e:1c:9a:30",
            "ip link add bat-ffx type veth peer name bat-peer", "ip link set bat-ffx address 02:00:00:00:0b:01", "ip link set bat-ffx master br-ffx",
            "ip addr add 10.99.0.1/16 dev br-ffx", "ip addr add fd99:1234:5678::1/64 dev br-ffx nodad", "ip link set br-ffx up",
        ] {
            let made = try namespace.exec(["sh", "-c", command])
            try #require(made.status == 0, "\(command): \(made.error)")
        }
        let result = try namespace.exec(["sh", "-c", ProbeScript.make(for: request)])
        #expect(result.status == 0, "\(result.error)")
        let network = try #require(try ProbeOutputParser.parse(result.output, request: request, gateway: "ns").network)
        #expect(network.links == [
            "br-ffx": LinkFact(up: true, addresses: ["10.99.0.1/16", "fd99:1234:5678::1/64"], multicastSnooping: false, mac: "02:4b:7e:1c:9a:30"),
            "bat-ffx": LinkFact(up: false, master: "br-ffx", mac: "02:00:00:00:0b:01"),
        ])
    }
}
