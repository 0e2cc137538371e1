import Crypto
import Foundation
import Testing
@testable import GatewayKit

/// The mesh VPNs beyond one tap fastd, on two VMs: the gateway (an overlay of the converged image) and a router that
/// joins as a Gluon WireGuard node does, behind its own NAT, reaching the gateway's WireGuard port through the host;
/// and, in the same domain, a node in Gluon's performance mode (`null@l2tp`) that the gateway's fastd offloads to
/// a kernel L2TP session of its own.
@Suite(.serialized, .timeLimit(.minutes(40)))
struct WireGuardEndToEndTests {
    static let domainSeed = "8d2d4b5eb0a4fd2df3e1a17a4c0d7a9a2c0a07e7e0f3e2a5b0d3c4e5f6a7b8c9"
    static let mtu = 1350

    @Test("A domain offering WireGuard: apply makes the gateway's key (0600, only its public half printed); a router set up as a Gluon node (its key, its md5-derived link address, the gateway at fe80::1, VXLAN with the seed's VNI, batman-adv on top) sees the gateway, and its client gets a lease, resolves a name and fetches the host's page through the NAT; the agent gives the node a forwarding entry and route; a second node key added to the peers source joins on the next apply without the first node's pings dropping more than a second, and removing it removes that peer; a fastd node with null@l2tp gets a kernel L2TP session of its own in batman-adv")
    func aGluonNodeJoinsOverWireGuard() async throws {
        let environment = ["GWSETUP_AGENT": try await StaticAgentBuild.path()]
        let (port, fastdPort) = (LoopbackPort.free(.udp), LoopbackPort.free(.udp))
        let (first, second) = (Curve25519.KeyAgreement.PrivateKey(), Curve25519.KeyAgreement.PrivateKey())
        let (site, nodes) = try Self.site(nodeKeys: [Self.publicKey(first)])
        defer { try? FileManager.default.removeItem(atPath: (site as NSString).deletingLastPathComponent) }
        try await withHostHTTPServer(files: ["/through-wireguard.txt": Data("hello over WireGuard\n".utf8)]) { host in
            try await withVMs([.convergedGateway(name: ConvergedGatewayImage.alias, forwards: [.udp(host: port, guest: 51820), .udp(host: fastdPort, guest: 10000)]),
                               .router(name: "wgnode")]) { vms in
                let (gateway, router) = (vms[0], MeshRouter(vm: vms[1]))
                let ssh = ["--ssh-config", gateway.sshConfigFile]
                func gwsetup(_ arguments: [String]) async throws -> GwsetupCLI.Result {
                    try await GwsetupCLI.run(arguments + ["--site", site] + ssh, environment: environment)
                }

                // 1. Apply makes the mesh key on the gateway and prints only its public half.
                let apply = try await gwsetup(["apply", "--yes"])
                try #require(apply.status == 0, "apply:\n\(apply.output)")
                let gatewayKey = try #require(PrintedKeys.keys("wireguard", in: apply.stdout)["gw1"], "no WireGuard key in:\n\(apply.stdout)")
                let stat = try await gateway.run("stat -c '%a %U' \(WireGuardKey.privatePath(.mesh))")
                #expect(stat.trimmingCharacters(in: .whitespacesAndNewlines) == "600 systemd-network", "\(stat)")
                let secret = try await gateway.run("cat \(WireGuardKey.privatePath(.mesh))").trimmingCharacters(in: .whitespacesAndNewlines)
                let journal = try await gateway.run("journalctl -b --no-pager -o cat | grep -cF -- \(ShellQuote.quote(secret)) || true")
                #expect(!secret.isEmpty && !apply.output.contains(secret) && journal.trimmingCharacters(in: .whitespacesAndNewlines) == "0",
                        "the mesh key's private half was printed or logged")
                let derived = try await gateway.run("wg pubkey < \(WireGuardKey.privatePath(.mesh))").trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(derived == gatewayKey, "printed \(gatewayKey), the gateway holds \(derived)")
                let links = try await gateway.run("wg show wg-ffx listen-port; ip -6 -o addr show dev wg-ffx; ip -d link show vx-ffx; batctl meshif bat-ffx if")
                let vni = GluonWireGuardDerivation.vxlanID(domainSeed: Self.domainSeed)
                #expect(links.hasPrefix("51820\n") && links.contains("inet6 fe80::1/64") && links.contains("vxlan id \(vni) local fe80::1 dev wg-ffx")
                        && links.contains("dstport 4789") && links.contains("vx-ffx: active"), "the gateway's WireGuard links:\n\(links)")

                // 2. The router joins as a Gluon node; batman-adv sees the gateway; its client gets a lease, a name and a page.
                let node1 = Self.node(first, suffix: "")
                try await router.joinWireGuard(node1, gatewayKey: gatewayKey, port: port, domainSeed: Self.domainSeed, mtu: Self.mtu)
                _ = try await router.waitForGateways(1, batman: node1.link.batman, fastdUnit: "none")
                let lease = try await router.client("dhclient -1 -pf /run/dhclient.pid -lf /run/dhclient.leases veth-c")
                try #require(lease.succeeded, "dhclient: \(lease.stderrText)")
                let name = try await router.client("dig +time=5 +tries=3 +short @10.99.0.1 nextnode.ffx.example A")
                #expect(name.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "10.99.0.1", "DNS through the mesh: \(name.stdoutText) \(name.stderrText)")
                let page = try await router.client("curl -sS --max-time 60 \(host.urlFromGuest("/through-wireguard.txt"))")
                #expect(page.stdoutText == "hello over WireGuard\n", "HTTP through the gateway's NAT: \(page.stdoutText) \(page.stderrText)")
                let originators = try await router.vm.run("batctl meshif \(node1.link.batman) originators -H")
                #expect(originators.contains(node1.vxlan), "the node's originators: \(originators)")

                // 3. The agent gave the node its all-zero forwarding entry and its /128 route, and said so.
                let address = node1.linkAddress.description
                let glue = try await gateway.poll("bridge fdb show dev vx-ffx; ip -6 route show dev wg-ffx proto static", timeout: .seconds(30), every: .seconds(1)) {
                    $0.contains("00:00:00:00:00:00 dst \(address)") && $0.contains("\(address) proto static")
                }
                #expect(glue.output.contains("00:00:00:00:00:00 dst \(address) via wg-ffx"), "the node's forwarding entry:\n\(glue.output)")
                let added = try await gateway.run("journalctl -b --no-pager -o cat GWSETUP_EVENT=wireguard-node-added")
                #expect(added.contains(address), "no wireguard-node-added event for \(address): \(added)")
                let verify = try await gwsetup(["verify"])
                #expect(verify.status == 0 && verify.stdout.squeezingSpaces.contains("holds ipv6.mesh.ffx.wireguard-vxlan"), "verify:\n\(verify.output)")

                // 4. A second node key in the source: the next apply syncs it in place while the first node's client pings.
                let node2 = Self.node(second, suffix: "2")
                try Self.publicKey(second).write(toFile: nodes + "/node2", atomically: true, encoding: .utf8)
                _ = try await router.vm.run("systemd-run --unit=mesh-ping --property=StandardOutput=file:/run/mesh-ping.log "
                                            + MeshRouter.inNamespace("client", "exec ping -n -i 0.2 -w 600 10.99.0.1"))
                let grow = try await gwsetup(["apply", "--yes"])
                try #require(grow.status == 0, "apply with the second key:\n\(grow.output)")
                #expect(grow.stdout.contains("restart gwsetup-wireguard-sync@wg\\x2dffx.service") && !grow.stdout.contains("restart systemd-networkd"),
                        "the key list is synced, the link not restarted:\n\(grow.stdout)")
                try await Task.sleep(for: .seconds(2))
                _ = try await router.vm.run("systemctl kill --signal=SIGINT mesh-ping; sleep 1")
                let pings = try await router.vm.run("cat /run/mesh-ping.log")
                let (sent, received) = Self.pingCounts(pings)
                #expect(sent > 20 && sent - received <= 5, "the first node's pings across the apply: \(received) of \(sent) answered (0.2 s apart)")
                FileHandle.standardError.write(Data("wireguard: pings across the apply \(received)/\(sent)\n".utf8))
                try await router.joinWireGuard(node2, gatewayKey: gatewayKey, port: port, domainSeed: Self.domainSeed, mtu: Self.mtu)
                _ = try await router.waitForGateways(1, batman: node2.link.batman, fastdUnit: "none")
                let both = try await gateway.run("wg show wg-ffx allowed-ips")
                #expect(both.contains(node1.linkAddress.description) && both.contains(node2.linkAddress.description), "the gateway's peers: \(both)")

                // 5. The key gone from the source: the next apply removes that peer, and its entries go with it.
                try FileManager.default.removeItem(atPath: nodes + "/node2")
                let shrink = try await gwsetup(["apply", "--yes"])
                try #require(shrink.status == 0, "apply without the second key:\n\(shrink.output)")
                let peers = try await gateway.run("wg show wg-ffx peers")
                #expect(peers.contains(Self.publicKey(first)) && !peers.contains(Self.publicKey(second)), "the gateway's peers after removal: \(peers)")
                // The glue's own entries: the all-zero one per node and its route. MACs the VXLAN learned from the node age
                // out on their own (300 s) and point at an address WireGuard no longer routes.
                let pruned = try await gateway.poll("bridge fdb show dev vx-ffx | grep '^00:00:00:00:00:00' || true; ip -6 route show dev wg-ffx proto static",
                                                    timeout: .seconds(30), every: .seconds(1)) {
                    !$0.contains(node2.linkAddress.description)
                }
                #expect(!pruned.output.contains(node2.linkAddress.description) && pruned.output.contains(address), "entries after removal:\n\(pruned.output)")
                let still = try await router.client("ping -c 3 -W 5 10.99.0.1")
                #expect(still.succeeded, "the first node lost the mesh: \(still.stdoutText)")

                // 6. Gluon's performance mode in the same domain: fastd offloads the null@l2tp node to the kernel.
                let fastdKey = try #require(PrintedKeys.keys("fastd", in: apply.stdout)["gw1/ffx"], "no fastd key in:\n\(apply.stdout)")
                let offloaded = MeshRouter.MeshLink(name: "ffl", batman: "bat-ffl", namespace: "client3", routingAlgorithm: "BATMAN_IV")
                try await router.joinOffloadingL2TP(offloaded, peers: [MeshRouter.Peer(name: "gw1", key: fastdKey, port: fastdPort)], mtu: 1312)
                let loadedSite = try SiteLoader.load(path: site).site
                let checks = L2TPOffloadChecks(gateway: gateway, domain: try #require(loadedSite.domain("ffx")), port: 10000)
                let seen = try await checks.waitForOffloadedPeer()
                #expect(seen.isL2TP && seen.isSession && seen.inBatman, "the offloaded peer on the gateway: \(seen)")
                _ = try await router.waitForGateways(1, batman: offloaded.batman, fastdUnit: "fastd-ffl")
                let plan = try await gwsetup(["plan", "--detailed-exitcode"])
                #expect(plan.status == 0, "plan after the applies, with a peer's L2TP interface up:\n\(plan.output)")
            }
        }
    }

    static func publicKey(_ key: Curve25519.KeyAgreement.PrivateKey) -> String { key.publicKey.rawRepresentation.base64EncodedString() }

    /// A node identity on the router: Gluon's interface roles under names of their own, so two nodes can share the VM.
    static func node(_ key: Curve25519.KeyAgreement.PrivateKey, suffix: String) -> MeshRouter.WireGuardNode {
        MeshRouter.WireGuardNode(
            link: MeshRouter.MeshLink(name: "ffx\(suffix)", batman: "bat-ffx\(suffix)", namespace: "client\(suffix)", routingAlgorithm: "BATMAN_IV"),
            wireguard: "wg-mesh\(suffix)", vxlan: "vx-mesh\(suffix)", privateKey: key.rawRepresentation.base64EncodedString(),
            publicKey: WireGuardPublicKey(publicKey(key))!, routeMetric: suffix.isEmpty ? 1024 : 1025)
    }

    /// vm-site.yaml with WireGuard offered in ffx (the seed, port 51820 forwarded from the host) and a peers folder
    /// holding `nodeKeys`; returns the site and the folder.
    static func site(nodeKeys: [String]) throws -> (site: String, nodes: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gwsetup-wg-\(UUID().uuidString.prefix(8))").path
        let nodes = directory + "/nodes"
        try FileManager.default.createDirectory(atPath: nodes, withIntermediateDirectories: true)
        for (index, key) in nodeKeys.enumerated() { try "# node \(index + 1)\n\(key)\n".write(toFile: "\(nodes)/node\(index + 1)", atomically: true, encoding: .utf8) }
        var text = try String(contentsOfFile: GwsetupCLI.fixture("vm-site.yaml"), encoding: .utf8)
        // null@l2tp: nodes in Gluon's performance mode, offloaded to the kernel (fastd runs multi-TAP for it).
        text = text.replacingOccurrences(of: "      methods: [salsa2012+umac, \"null\"]\n", with: "      methods: [salsa2012+umac, \"null\", null@l2tp]\n")
        text = text.replacingOccurrences(of: "      peer_limit: 150\n", with: """
                  peer_limit: 150
                domain_seed: "\(domainSeed)"
                wireguard:
                  port: 51820
                  mtu: \(mtu)
                  peers: nodes

            """)
        let path = directory + "/wireguard-site.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return (path, nodes)
    }

    /// ping's summary line: packets sent and received.
    static func pingCounts(_ output: String) -> (sent: Int, received: Int) {
        guard let line = output.split(separator: "\n").first(where: { $0.contains("packets transmitted") }) else { return (0, 0) }
        let numbers = line.split(separator: " ").compactMap { Int($0) }
        return numbers.count >= 2 ? (numbers[0], numbers[1]) : (0, 0)
    }
}
