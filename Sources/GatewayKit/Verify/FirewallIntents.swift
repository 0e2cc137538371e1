/// The firewall intents a site implies for one gateway, derived from the site so no one keeps a list per gateway.
///
/// Each intent is one packet and what must happen to it; its name is the sentence an admin reads
/// ("IPv4 mesh ffx: DNS over UDP from clients is answered"). IPv4 intents come first, then IPv6.
public enum FirewallIntents {
    public static func derive(site: Site, gateway: Gateway) -> [FirewallIntent] {
        builders(site: site, gateway: gateway).flatMap { builder in
            builder.meshes.flatMap(builder.meshIntents) + builder.uplinkIntents() + builder.meshes.flatMap(builder.forwardIntents)
        }
    }

    /// The intents that keep the admins in: a NEW SSH connection from every allowed source is accepted on the uplink.
    public static func adminSSH(site: Site, gateway: Gateway) -> [FirewallIntent] {
        builders(site: site, gateway: gateway).flatMap { $0.sshAccepted() }
    }

    private static func builders(site: Site, gateway: Gateway) -> [IntentBuilder] {
        let views = site.views(for: gateway)
        return [IPFamily.ipv4, .ipv6].map { family in
            let addresses = family == .ipv4 ? IntentAddresses.v4(allowedSSH: site.access.sshAllowedSources)
                                            : IntentAddresses.v6(allowedSSH: site.access.sshAllowedSources)
            return IntentBuilder(site: site, gateway: gateway, addresses: addresses, meshes: views.compactMap { MeshSide(view: $0, family: family) })
        }
    }
}

/// One domain's bridge as one family sees it: the gateway's address there and a client's.
struct MeshSide: Sendable {
    let code: String
    let bridge: String
    let gatewayAddress: IPAddress
    let client: IPAddress
    /// IPv4 prefixes are NATed out the uplink; IPv6 ones are routed as they are.
    let prefix: IPNetwork

    init?(view: GatewayDomainView, family: IPFamily) {
        code = view.domain.code
        bridge = view.domain.bridgeInterface
        switch family {
        case .ipv4:
            guard let prefix4 = view.domain.prefix4, let address = view.entry.ipv4 else { return nil }
            gatewayAddress = .v4(address)
            client = IntentAddresses.client(in: prefix4, gateway: address, dhcpRange: view.dhcpRange)
            prefix = .v4(prefix4)
        case .ipv6:
            gatewayAddress = .v6(view.entry.ipv6)
            client = IntentAddresses.client(in: view.domain.prefix6, gateway: view.entry.ipv6)
            prefix = .v6(view.domain.prefix6)
        }
    }
}

/// Builds one family's intents for one gateway; split over files by where the packet comes from.
struct IntentBuilder: Sendable {
    let site: Site
    let gateway: Gateway
    let addresses: IntentAddresses
    let meshes: [MeshSide]

    var family: IPFamily { addresses.family }
    var familyName: String { family == .ipv4 ? "IPv4" : "IPv6" }
    var uplink: String { gateway.uplink }

    func intent(_ scope: String, _ sentence: String, _ packet: Packet, _ path: PacketPath, _ expectation: FirewallIntent.Expectation) -> FirewallIntent {
        FirewallIntent("\(familyName) \(scope): \(sentence)", packet: packet, path: path, expect: expectation)
    }
}

extension Packet {
    /// The packet with the address types the kernel would see; known by construction, so `-m addrtype` rules stay decidable.
    func typed(source: AddressTypes, destination: AddressTypes, packetType: PacketType = .unicast) -> Packet {
        var copy = self
        copy.sourceAddressTypes = source
        copy.destinationAddressTypes = destination
        copy.packetType = packetType
        return copy
    }
}
