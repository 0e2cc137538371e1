import FirewallKit

/// The backbone on the uplink: every domain's tinc port open to the other gateways (and so to anyone: tinc itself
/// refuses a host whose key it does not hold), for tcp meta connections and udp packets.
extension IntentBuilder {
    func backboneIntents() -> [FirewallIntent] {
        site.views(for: gateway).flatMap { mesh -> [FirewallIntent] in
            guard let port = site.backbonePort(of: mesh.domain) else { return [] }
            return FirewallOpening.TransportProtocol.allCases.map { transport in
                let bare = transport == .tcp
                    ? Packet.tcp(from: addresses.internetHost, to: addresses.uplinkAddress, port: UInt16(port), in: uplink)
                    : Packet.udp(from: addresses.internetHost, to: addresses.uplinkAddress, port: UInt16(port), in: uplink)
                return intent((.uplink, mesh.domain.code, "tinc-\(transport.rawValue)"), uplinkScope,
                              "tinc \(mesh.domain.code) (\(transport.rawValue)/\(port)) is open to the other gateways",
                              bare.typed(source: .unicast, destination: .local), .input, .accepted)
            }
        }
    }

    /// The tinc ports, which no closed-port probe may pick.
    var backbonePorts: [UInt16] { site.domains.compactMap { site.backbonePort(of: $0).map(UInt16.init) } }
}
