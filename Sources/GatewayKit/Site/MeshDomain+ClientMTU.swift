import GatewayBase

/// The one MTU story of a domain: what a client behind batman-adv can send, told by DHCP and RA and enforced by the MSS clamp.
extension MeshDomain {
    /// batman-adv's unicast header, carried inside the fastd tunnel on top of the client's frame.
    public static let batmanHeaderBytes = 32
    /// IPv6's minimum link MTU: an RA may not announce less, and batman-adv fragments what does not fit.
    public static let ipv6MinimumMTU = 1280

    /// The narrowest link batman-adv runs over in this domain: fastd's, or the WireGuard domain's VXLAN.
    public var meshMTU: Int {
        guard let wireguard else { return mtu }
        return fastd.isEnabled ? min(mtu, wireguard.mtu) : wireguard.mtu
    }

    /// The largest IP packet a client can send without fragmenting in the mesh (1280 for the usual 1312).
    public var clientMTU: Int { meshMTU - Self.batmanHeaderBytes }

    /// The link MTU announced in router advertisements: the client MTU, never below what IPv6 allows.
    public var clientIPv6LinkMTU: Int { max(clientMTU, Self.ipv6MinimumMTU) }

    /// The TCP MSS the gateway sets on SYNs: what the mesh carries less the IP and TCP headers (1240 and 1220 for 1312).
    public func clientMSS(_ family: IPFamily) -> Int {
        clientMTU - (family == .ipv4 ? 40 : 60)
    }

    /// A unique-local prefix (fc00::/7) is not routed on the internet, so its clients' IPv6 traffic must not leave by the uplink.
    public var hasUniqueLocalPrefix6: Bool { Self.uniqueLocal.contains(prefix6.address) }

    private static let uniqueLocal = IPv6Network("fc00::/7")!
}
