import Foundation
@testable import GatewayKit

/// A community router VM joining a gateway's mesh the way a Gluon node does: fastd to the gateway's public port
/// through its own NAT, batman-adv over the tunnel, and its clients behind a bridge (here a network namespace
/// `client` on a veth, so their traffic can only leave through the mesh).
struct MeshRouter {
    let vm: TestVM

    /// Starts fastd towards `gatewayKey` at the host's forward of the gateway's fastd port and bridges clients onto bat0.
    func join(gatewayKey: String, port: Int, method: String, mtu: Int) async throws {
        let config = """
            interface "mesh-vpn";
            mode tap;
            method "\(method)";
            mtu \(mtu);
            include "secret.conf";
            peer "gateway" {
              key "\(gatewayKey)";
              remote \(TestVM.hostAddressFromGuest):\(port);
            }
            on up "
              ip link set dev $INTERFACE up
              ip link set dev $INTERFACE master bat0
            ";

            """
        try await vm.write(Data(config.utf8), to: "/etc/fastd/mesh/fastd.conf")
        _ = try await vm.run("""
            set -e
            (umask 077; printf 'secret "%s";\\n' "$(fastd --generate-key --machine-readable)" > /etc/fastd/mesh/secret.conf)
            modprobe batman_adv
            ip link add bat0 type batadv
            batctl meshif bat0 gw_mode client
            ip link add br-client type bridge
            ip link set bat0 master br-client
            ip link add veth-r type veth peer name veth-c
            ip link set veth-r master br-client
            ip netns add client
            ip link set veth-c netns client
            ip link set bat0 up && ip link set br-client up && ip link set veth-r up
            ip netns exec client ip link set lo up
            ip netns exec client ip link set veth-c up
            systemd-run --unit=fastd-mesh fastd --config /etc/fastd/mesh/fastd.conf
            """)
    }

    /// Waits until batman-adv sees the gateway announce itself, which needs the fastd handshake through both NATs.
    func waitForGateway(timeout: Duration = .seconds(300)) async throws -> String {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var last = ""
        while ContinuousClock.now < deadline {
            last = (try? await vm.ssh("batctl meshif bat0 gwl -H").stdoutText) ?? ""
            if !last.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return last }
            try await Task.sleep(for: .seconds(3))
        }
        let fastd = (try? await vm.ssh("journalctl -u fastd-mesh -n 20 --no-pager -o cat").stdoutText) ?? ""
        throw VMError.launchFailed("no gateway in batman-adv's gateway list after \(timeout); fastd said:\n\(fastd)")
    }

    /// Runs `command` in the client namespace, as a device on the router's client network would.
    func client(_ command: String, timeout: Duration = .seconds(300)) async throws -> CommandResult {
        try await vm.ssh("ip netns exec client sh -c \(ShellQuote.quote(command))", timeout: timeout)
    }
}
