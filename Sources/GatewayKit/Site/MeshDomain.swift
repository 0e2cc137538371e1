import GatewayBase

/// One mesh domain: its own batman-adv cloud, fastd instance, bridge and client prefixes.
public struct MeshDomain: Sendable, Equatable {
    public var code: String
    /// Short name used in interface names (`br-NAME`, `bat-NAME`, `vpn-NAME`), which Linux caps at 15 bytes.
    public var interfaceName: String
    public var prefix4: IPv4Network?
    public var prefix6: IPv6Network
    /// MTU of the fastd tunnel; batman-adv adds its header on top, so clients see less.
    public var mtu: Int
    public var fastd: FastdSettings
    public var batman: BatmanSettings
    public var dhcp: DHCPSettings
    public var routerAdvertisement: RouterAdvertisementSettings
    /// The firmware's next-node addresses in this domain, if the site records them (gluon import/export/check).
    public var nextNode: NextNode? = nil
    /// Gluon's `domain_seed` (64 hex digits), which derives the domain's mesh IDs on the nodes.
    public var domainSeed: String? = nil
    /// What nodes of this domain are told, where it differs from the site's `firmware`.
    public var firmware: FirmwareSettings? = nil
    /// Nodes may also (or instead) reach the domain over WireGuard + VXLAN.
    public var wireguard: WireGuardMesh? = nil

    public var bridgeInterface: String { "br-" + interfaceName }
    public var batmanInterface: String { "bat-" + interfaceName }
    public var fastdInterface: String { "vpn-" + interfaceName }
}

/// How nodes reach this domain over the fastd VPN.
public struct FastdSettings: Sendable, Equatable {
    public var port: Int
    public var methods: [String]
    public var peerLimit: Int?
    /// fastd processes per gateway (one core each), on consecutive ports from the gateway's port, all in one mesh;
    /// 0 for a domain nodes reach over WireGuard only (`fastd: none`).
    public var instances: Int = 1

    /// Whether the domain runs fastd at all.
    public var isEnabled: Bool { instances > 0 }
}

/// batman-adv knobs that must match the firmware, or nodes and gateway stop talking.
public struct BatmanSettings: Sendable, Equatable {
    public enum RoutingAlgorithm: String, Sendable, CaseIterable { case batmanIV = "BATMAN_IV", batmanV = "BATMAN_V" }
    public var routingAlgorithm: RoutingAlgorithm
    /// Announced with gw_mode server, as `down/up` (e.g. `100mbit/100mbit`).
    public var gatewayBandwidth: String
    public var hopPenalty: Int
    public var originatorInterval: Int
    public var multicastOptimizations: Bool
}

/// DHCPv4 for clients: short leases let nodes move when a gateway dies.
public struct DHCPSettings: Sendable, Equatable {
    public var leaseTime: Int
    /// The whole pool of the domain, split between gateways unless a gateway names its own range.
    public var range: IPv4Range?
}

/// Router advertisements: which gateways announce themselves as default router.
public struct RouterAdvertisementSettings: Sendable, Equatable {
    /// Gateways that advertise a default route; empty means only the first gateway in the domain.
    public var defaultRouters: [String]
}

/// An inclusive IPv4 range, the unit DHCP pools are written in.
public struct IPv4Range: Sendable, Equatable, CustomStringConvertible {
    public var first: IPv4Address
    public var last: IPv4Address

    public init(first: IPv4Address, last: IPv4Address) {
        self.first = first
        self.last = last
    }

    public func contains(_ address: IPv4Address) -> Bool { first <= address && address <= last }
    public func overlaps(_ other: IPv4Range) -> Bool { first <= other.last && other.first <= last }
    public var count: UInt64 { UInt64(last.value - first.value) + 1 }
    public var description: String { "\(first)-\(last)" }
}
