import Foundation
@testable import GatewayKit

/// A community router VM joining a gateway's mesh the way a Gluon node does: fastd to the gateway's public port
/// through its own NAT, batman-adv over the tunnel, and its clients behind a bridge (here a network namespace
/// `client` on a veth, so their traffic can only leave through the mesh).
struct MeshRouter {
    let vm: TestVM

    /// One mesh domain on the router: its fastd instance, batman-adv interface, client bridge and client namespace.
    struct MeshLink {
        var name: String
        var batman: String
        var namespace: String
        var routingAlgorithm: String
    }

    /// A gateway the router peers with: its fastd public key and the host port forwarded to its fastd.
    struct Peer {
        var name: String
        var key: String
        var port: Int
    }

    /// Joins one domain through `peers` (several gateways of one domain, as a Gluon node lists them); a router in
    /// several domains calls this once per domain with distinct names.
    func join(_ link: MeshLink, peers: [Peer], method: String, mtu: Int) async throws {
        let peerBlocks = peers.map { peer in
            "peer \"\(peer.name)\" {\n  key \"\(peer.key)\";\n  remote \(TestVM.hostAddressFromGuest):\(peer.port);\n}\n"
        }.joined()
        let config = """
            interface "vpn-\(link.name)";
            mode tap;
            method "\(method)";
            mtu \(mtu);
            include "secret.conf";
            \(peerBlocks)on up "
              ip link set dev $INTERFACE up
              ip link set dev $INTERFACE master \(link.batman)
            ";

            """
        try await start(link, fastdConfig: config)
    }

    /// What every join shares, whatever fastd's mode: the key, batman-adv, the bridge, the client namespace and fastd's unit.
    func start(_ link: MeshLink, fastdConfig config: String) async throws {
        let directory = "/etc/fastd/\(link.name)"
        try await vm.write(Data(config.utf8), to: "\(directory)/fastd.conf")
        _ = try await vm.run("""
            set -e
            (umask 077; printf 'secret "%s";\\n' "$(fastd --generate-key --machine-readable)" > \(directory)/secret.conf)
            \(Self.meshAndClient(link))
            systemd-run --unit=fastd-\(link.name) fastd --config \(directory)/fastd.conf
            """)
    }

    /// Shell lines every kind of node shares: batman-adv as a gateway client, the client bridge on top and the client
    /// namespace on a veth; the VPN's hard interface joins the batman-adv interface afterwards.
    static func meshAndClient(_ link: MeshLink) -> String {
        let (bridge, routerEnd, clientEnd) = ("br-\(link.name)", "vr-\(link.name)", "vc-\(link.name)")
        return """
            modprobe batman_adv
            batctl routing_algo \(link.routingAlgorithm)
            ip link add \(link.batman) type batadv
            batctl meshif \(link.batman) gw_mode client
            ip link add \(bridge) type bridge
            ip link set \(link.batman) master \(bridge)
            ip link add \(routerEnd) type veth peer name \(clientEnd)
            ip link set \(routerEnd) master \(bridge)
            ip netns add \(link.namespace)
            ip link set \(clientEnd) netns \(link.namespace)
            ip link set \(link.batman) up && ip link set \(bridge) up && ip link set \(routerEnd) up
            ip netns exec \(link.namespace) ip link set lo up
            ip netns exec \(link.namespace) ip link set \(clientEnd) name veth-c
            ip netns exec \(link.namespace) ip link set veth-c up
            """
    }

    /// Waits until batman-adv's gateway list has exactly `count` gateways (each announcing itself needs the fastd
    /// handshake through both NATs; a drained one drops out) and returns the list's lines.
    func waitForGateways(_ count: Int, batman: String, fastdUnit: String, timeout: Duration = .seconds(300)) async throws -> [String] {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var last: [String] = []
        while ContinuousClock.now < deadline {
            last = ((try? await vm.ssh("batctl meshif \(batman) gwl -H").stdoutText) ?? "")
                .split(separator: "\n").map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            if last.count == count { return last }
            try await Task.sleep(for: .seconds(3))
        }
        let fastd = (try? await vm.ssh("journalctl -u \(fastdUnit) -n 20 --no-pager -o cat").stdoutText) ?? ""
        throw VMError.launchFailed("batman-adv's gateway list never had \(count) gateways in \(timeout) (last: \(last)); fastd said:\n\(fastd)")
    }

    /// Runs `command` in a client namespace until its output satisfies `done` or `timeout` passes; returns the last output.
    func poll(_ command: String, namespace: String = "client", timeout: Duration = .seconds(120),
              until done: (String) -> Bool) async throws -> String {
        try await vm.poll(Self.inNamespace(namespace, command), timeout: timeout, every: .seconds(2), until: done).output
    }

    /// Runs `command` in a client namespace, as a device on the router's client network would.
    func client(_ command: String, namespace: String = "client", timeout: Duration = .seconds(300)) async throws -> CommandResult {
        try await vm.ssh(Self.inNamespace(namespace, command), timeout: timeout)
    }

    /// `command` run by a shell inside `namespace`.
    static func inNamespace(_ namespace: String, _ command: String) -> String {
        "ip netns exec \(namespace) sh -c \(ShellQuote.quote(command))"
    }
}
