import Foundation
import GatewayBase
@testable import GatewayKit

/// A router joining over WireGuard the way Gluon's gluon-mesh-vpn-wireguard sets a node up (gluon_wireguard.sh,
/// 400-mesh-vpn-wireguard): its own key, its link address derived from the key, the gateway as its one peer allowed
/// only `fe80::1`, VXLAN to `fe80::1` with the VNI of the domain seed, and batman-adv on that VXLAN.
extension MeshRouter {
    /// One node identity on the router: its WireGuard link, VXLAN and batman-adv interface, and a client namespace.
    struct WireGuardNode {
        var link: MeshLink
        /// The node's WireGuard interface (Gluon's `wg_mesh`) and its VXLAN (Gluon's `mesh-vpn`).
        var wireguard: String
        var vxlan: String
        var privateKey: String
        var publicKey: WireGuardPublicKey
        /// Its route to `fe80::1`: each node on one router needs its own (IPv6 refuses the same route twice), and the
        /// VXLAN's lookup, bound to its WireGuard link, takes the one on that link.
        var routeMetric: Int = 1024
        var linkAddress: IPv6Address { GluonWireGuardDerivation.nodeLinkAddress(publicKey) }
    }

    /// Joins `gatewayKey`'s gateway at the host's forwarded `port` as `node`, with Gluon's MTUs: VXLAN at `mtu`,
    /// WireGuard at `mtu` + 70.
    func joinWireGuard(_ node: WireGuardNode, gatewayKey: String, port: Int, domainSeed: String, mtu: Int) async throws {
        let vni = GluonWireGuardDerivation.vxlanID(domainSeed: domainSeed)
        let link = node.link
        try await vm.write(Data((node.privateKey + "\n").utf8), to: "/etc/\(node.wireguard).key")
        _ = try await vm.run("""
            set -e
            chmod 600 /etc/\(node.wireguard).key
            \(Self.meshAndClient(link))
            ip link add \(node.wireguard) type wireguard
            wg set \(node.wireguard) private-key /etc/\(node.wireguard).key
            wg set \(node.wireguard) peer \(gatewayKey) endpoint \(TestVM.hostAddressFromGuest):\(port) allowed-ips fe80::1/128 persistent-keepalive 25
            ip link set \(node.wireguard) mtu \(mtu + WireGuardMesh.vxlanOverhead) up
            ip -6 addr add \(node.linkAddress)/128 dev \(node.wireguard) nodad
            ip -6 route add fe80::1/128 dev \(node.wireguard) metric \(node.routeMetric)
            ip link add \(node.vxlan) type vxlan id \(vni) local \(node.linkAddress) remote fe80::1 dstport \(WireGuardMesh.vxlanPort) dev \(node.wireguard) udp6zerocsumtx udp6zerocsumrx
            ip link set \(node.vxlan) mtu \(mtu)
            ip link set \(node.vxlan) master \(link.batman)
            ip link set \(node.vxlan) up
            """)
    }
}
