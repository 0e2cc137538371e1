import Crypto
import Foundation
import Testing
@testable import GatewayKit

/// Issue 24's figures, off CI: a client's throughput through the mesh and out of the gateway's uplink NAT to the host,
/// and the gateway's CPU per Mbit/s, for fastd (one and two instances) and WireGuard + VXLAN, on the same two VMs in
/// one run. `GWSETUP_BENCH=1 swift test --skip-build --filter MeshThroughputBenchmark`; BENCHMARKS.md has the figures.
@Suite(.serialized, .timeLimit(.minutes(45)),
       .enabled(if: ProcessInfo.processInfo.environment["GWSETUP_BENCH"] == "1",
                "a benchmark, not a check: run it with GWSETUP_BENCH=1 swift test --skip-build --filter MeshThroughputBenchmark (BENCHMARKS.md)"))
struct MeshThroughputBenchmark {
    /// Each iperf3 run's length.
    static let seconds = 12

    @Test("iperf3 from the router's clients to the host through the mesh and the gateway's NAT, and the gateway's CPU per Mbit/s: fastd salsa2012+umac with one instance, with two instances (two node identities, one per port, streams at once), fastd null, and WireGuard + VXLAN")
    func clientThroughputThroughTheMesh() async throws {
        let started = ContinuousClock.now
        let environment = ["GWSETUP_AGENT": try await StaticAgentBuild.path()]
        var udp: [Int] = []
        while udp.count < 3 {
            let port = LoopbackPort.free(.udp)
            if !udp.contains(port) { udp.append(port) }
        }
        let (fastdPort1, fastdPort2, wireguardPort) = (udp[0], udp[1], udp[2])
        let wireguardKey = Curve25519.KeyAgreement.PrivateKey()
        let site = try Self.site(nodeKey: WireGuardEndToEndTests.publicKey(wireguardKey))
        defer { try? FileManager.default.removeItem(atPath: (site as NSString).deletingLastPathComponent) }
        var figures: [ThroughputFigures.Figure] = []
        try await withHostIperf3Servers(2) { servers in
            try await withVMs([.convergedGateway(name: ConvergedGatewayImage.alias,
                                                 forwards: [.udp(host: fastdPort1, guest: 10000), .udp(host: fastdPort2, guest: 10001),
                                                            .udp(host: wireguardPort, guest: 51820)]),
                               .router(name: "benchnode")]) { vms in
                let (gateway, router) = (vms[0], MeshRouter(vm: vms[1]))
                let bench = ThroughputRun(gateway: gateway, router: router, seconds: Self.seconds)

                // The site: ffx with two fastd instances (10000, 10001, one key) and WireGuard on 51820.
                let apply = try await GwsetupCLI.run(["apply", "--yes", "--site", site, "--ssh-config", gateway.sshConfigFile], environment: environment)
                try #require(apply.status == 0, "apply:\n\(apply.output)")
                let fastdKey = try #require(PrintedKeys.keys("fastd", in: apply.stdout)["gw1/ffx"], "no fastd key in:\n\(apply.stdout)")
                let gatewayKey = try #require(PrintedKeys.keys("wireguard", in: apply.stdout)["gw1"], "no WireGuard key in:\n\(apply.stdout)")
                let units = try await gateway.run("systemctl is-active fastd@ffx.service 'fastd@ffx.2.service'; ss -Hlun 'sport = :10001'")
                try #require(units.hasPrefix("active\nactive\n") && units.contains(":10001"), "the gateway's two fastd instances:\n\(units)")
                try await bench.installSampler()

                // (a) fastd salsa2012+umac, what Gluon sites run, one node to instance 1.
                let method = "salsa2012+umac"
                let first = MeshRouter.MeshLink(name: "ffx", batman: "bat-ffx", namespace: "client", routingAlgorithm: "BATMAN_IV")
                try await Self.joinFastd(router, first, key: fastdKey, port: fastdPort1, method: method)
                figures.append(try await bench.measure("fastd \(method), 1 instance", streams: [("client", servers[0])]))

                // (b) A second node identity to instance 2 (port 10001): two fastd processes on each side, both streams at once.
                let second = MeshRouter.MeshLink(name: "ffx2", batman: "bat-ffx2", namespace: "client2", routingAlgorithm: "BATMAN_IV")
                try await Self.joinFastd(router, second, key: fastdKey, port: fastdPort2, method: method)
                let peers = try await gateway.run("batctl meshif bat-ffx n -H")
                #expect(peers.contains("vpn-ffx") && peers.contains("vpn2-ffx"), "the gateway's neighbours on both instances:\n\(peers)")
                figures.append(try await bench.measure("fastd \(method), 2 instances", streams: [("client", servers[0]), ("client2", servers[1])]))
                _ = try await router.vm.run("systemctl stop fastd-ffx fastd-ffx2")

                // fastd null: the same path without encryption or authentication, one instance.
                let plain = MeshRouter.MeshLink(name: "ffxn", batman: "bat-ffxn", namespace: "clientn", routingAlgorithm: "BATMAN_IV")
                try await Self.joinFastd(router, plain, key: fastdKey, port: fastdPort1, method: "null")
                figures.append(try await bench.measure("fastd null, 1 instance", streams: [("clientn", servers[0])]))
                _ = try await router.vm.run("systemctl stop fastd-ffxn")

                // (c) WireGuard + VXLAN, the router as a Gluon WireGuard node.
                let node = WireGuardEndToEndTests.node(wireguardKey, suffix: "w")
                try await router.joinWireGuard(node, gatewayKey: gatewayKey, port: wireguardPort,
                                               domainSeed: WireGuardEndToEndTests.domainSeed, mtu: WireGuardEndToEndTests.mtu)
                _ = try await router.waitForGateways(1, batman: node.link.batman, fastdUnit: "none")
                try await Self.lease(router, namespace: node.link.namespace)
                figures.append(try await bench.measure("WireGuard + VXLAN", streams: [(node.link.namespace, servers[0])]))
            }
        }
        let table = ThroughputFigures.table(figures)
        FileHandle.standardError.write(Data("""
            mesh throughput (iperf3 \(Self.seconds) s per run, client → router's batman-adv → tunnel → gateway → uplink NAT → host), \
            \(Date().formatted(.iso8601)), wall time \(ContinuousClock.now - started):
            \(table)

            """.utf8))
    }

    /// A fastd node identity to the gateway's instance at the host's `port`, batman-adv seeing the gateway, a lease.
    static func joinFastd(_ router: MeshRouter, _ link: MeshRouter.MeshLink, key: String, port: Int, method: String) async throws {
        try await router.join(link, peers: [MeshRouter.Peer(name: "gw1", key: key, port: port)], method: method, mtu: 1312)
        _ = try await router.waitForGateways(1, batman: link.batman, fastdUnit: "fastd-\(link.name)")
        try await lease(router, namespace: link.namespace)
    }

    /// A DHCP lease for the client namespace, with files of its own so several namespaces can hold one.
    static func lease(_ router: MeshRouter, namespace: String) async throws {
        let lease = try await router.client("dhclient -1 -pf /run/dhclient-\(namespace).pid -lf /run/dhclient-\(namespace).leases veth-c",
                                            namespace: namespace)
        try #require(lease.succeeded, "dhclient in \(namespace): \(lease.stderrText)")
    }

    /// WireGuardEndToEndTests' site (vm-site.yaml with WireGuard in ffx and a peers folder holding `nodeKey`) with
    /// `fastd.instances: 2`.
    static func site(nodeKey: String) throws -> String {
        let (path, _) = try WireGuardEndToEndTests.site(nodeKeys: [nodeKey])
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let twoInstances = text.replacingOccurrences(of: "      peer_limit: 150\n", with: "      peer_limit: 150\n      instances: 2\n")
        guard twoInstances != text else { throw VMError.launchFailed("no fastd peer_limit line in \(path) to add instances after") }
        try twoInstances.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
