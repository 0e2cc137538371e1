import GatewayBase

/// `domains[].wireguard`: nodes reach the domain over WireGuard and carry batman-adv in VXLAN on top, as Gluon's
/// gluon-mesh-vpn-wireguard does; the gateway answers as `fe80::1` and accepts the node keys the peers source lists.
public struct WireGuardMesh: Sendable, Equatable {
    /// The UDP port nodes dial (the firmware's `endpoint`).
    public var port: Int
    /// Gluon's `mesh_vpn.wireguard.mtu`: the VXLAN link batman-adv uses; the WireGuard link under it is 70 bytes more.
    public var mtu: Int = SiteDefaults.wireguardMTU
    /// The peers source as the site wrote it (relative to the site file): a directory of key files or one file.
    public var peersSource: String
    /// The node keys read from it, in the order found, each once.
    public var peers: [WireGuardPublicKey]
    /// Seconds without a handshake after which the agent prunes a node's forwarding entry and route (never its peer).
    public var pruneAfter: Int = SiteDefaults.wireguardPruneAfter

    /// The address every node allows from its gateway (`allowed_ips = fe80::1/128` in Gluon's peer config).
    public static let gatewayAddress = IPv6Address("fe80::1")!
    /// Gluon's VXLAN port (OpenWrt's vxlan6 default), the same on every node.
    public static let vxlanPort = 4789
    /// What VXLAN over IPv6 adds: IPv6 40, UDP 8, VXLAN 8, the inner Ethernet header 14.
    public static let vxlanOverhead = 70

    /// The WireGuard link's MTU, as a Gluon node sets it (`mtu + 70`).
    public var linkMTU: Int { mtu + Self.vxlanOverhead }
    /// The largest UDP packet a full frame makes on the uplink: WireGuard adds 32, UDP 8 and IPv6 40 (IPv4: 20).
    public func outerPacketBytes(_ family: IPFamily) -> Int { linkMTU + 32 + 8 + (family == .ipv4 ? 20 : 40) }
}

extension MeshDomain {
    /// `wg-NAME`: the WireGuard link nodes handshake with.
    public var wireguardInterface: String { "wg-" + interfaceName }
    /// `vx-NAME`: the VXLAN on top of it, one of batman-adv's interfaces.
    public var vxlanInterface: String { "vx-" + interfaceName }
}
