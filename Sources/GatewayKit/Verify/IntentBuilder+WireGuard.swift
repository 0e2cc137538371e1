import FirewallKit
import GatewayBase

/// A WireGuard domain: its port open to nodes on the uplink, VXLAN refused there (no tunnel beside the tunnel) and
/// accepted only from inside the WireGuard link, where every packet is a known node's.
extension IntentBuilder {
    func wireguardIntents() -> [FirewallIntent] {
        site.views(for: gateway).flatMap { mesh -> [FirewallIntent] in
            guard let wireguard = mesh.domain.wireguard else { return [] }
            let code = mesh.domain.code
            let vxlan = UInt16(WireGuardMesh.vxlanPort)
            let open = Packet.udp(from: addresses.internetHost, to: addresses.uplinkAddress, port: UInt16(wireguard.port), in: uplink)
            let smuggled = Packet.udp(from: addresses.internetHost, to: addresses.uplinkAddress, port: vxlan, in: uplink)
            var intents = [
                intent((.uplink, code, "wireguard"), uplinkScope, "WireGuard \(code) (udp/\(wireguard.port)) is open to nodes",
                       open.typed(source: .unicast, destination: .local), .input, .accepted),
                intent((.uplink, code, "refused-vxlan"), uplinkScope, "VXLAN (udp/\(vxlan)) is refused: batman-adv of \(code) comes only through WireGuard",
                       smuggled.typed(source: .unicast, destination: .local), .input, .blocked),
            ]
            // VXLAN runs over the link-local addresses of the WireGuard link, so only IPv6 carries it.
            // The node is the first the source lists (any other would do: the rule names the link, not the node).
            let nodeAddress = wireguard.peers.first.map(GluonWireGuardDerivation.nodeLinkAddress) ?? IPv6Address("fe80::2ff:fe00:1")!
            if family == .ipv6, let node = IPAddress(nodeAddress.description), let local = IPAddress(WireGuardMesh.gatewayAddress.description) {
                let inner = Packet.udp(from: node, to: local, port: vxlan, in: mesh.domain.wireguardInterface)
                intents.append(intent((.mesh, code, "wireguard-vxlan"), "WireGuard \(mesh.domain.wireguardInterface)",
                                      "VXLAN from a node inside the WireGuard link reaches batman-adv", inner.typed(source: .unicast, destination: .local), .input, .accepted))
            }
            return intents
        }
    }

    /// The WireGuard ports, which no closed-port probe may pick.
    var wireguardPorts: [UInt16] { site.domains.compactMap { $0.wireguard.map { UInt16($0.port) } } }
}
