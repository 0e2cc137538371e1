import GatewayBase

/// The VPN that links nodes to gateways: fastd and/or WireGuard, both of which gwsetup serves.
public struct GluonMeshVPN: Sendable, Equatable {
    public var fastd: GluonFastd?
    public var wireguard: GluonWireGuard?

    public init(fastd: GluonFastd? = nil, wireguard: GluonWireGuard? = nil) {
        self.fastd = fastd
        self.wireguard = wireguard
    }

    /// Nodes of this domain can only reach gateways over WireGuard.
    public var isWireGuardOnly: Bool { fastd == nil && wireguard != nil }
}

/// Where an MTU was set; the key moved twice in Gluon's history, and the place tells which firmware era a site is from.
public enum GluonMTULayout: String, Sendable, Equatable, CaseIterable {
    /// `fastd_mesh_vpn.mtu`, Gluon up to 2016.
    case fastdMeshVPN
    /// `mesh_vpn.mtu`, Gluon 2017–2021 (shared by fastd and WireGuard).
    case meshVPN
    /// `mesh_vpn.fastd.mtu`, Gluon 2022 and later.
    case meshVPNFastd
    /// `mesh_vpn.wireguard.mtu`.
    case meshVPNWireGuard

    public var keyPath: String {
        switch self {
        case .fastdMeshVPN: "fastd_mesh_vpn.mtu"
        case .meshVPN: "mesh_vpn.mtu"
        case .meshVPNFastd: "mesh_vpn.fastd.mtu"
        case .meshVPNWireGuard: "mesh_vpn.wireguard.mtu"
        }
    }
}

/// An MTU and the key it came from.
public struct GluonMTU: Sendable, Equatable {
    public var value: Int
    public var layout: GluonMTULayout
    public var location: SourceLocation?

    public init(value: Int, layout: GluonMTULayout, location: SourceLocation? = nil) {
        self.value = value
        self.layout = layout
        self.location = location
    }

    public static func == (lhs: GluonMTU, rhs: GluonMTU) -> Bool { lhs.value == rhs.value && lhs.layout == rhs.layout }
}

/// The fastd settings nodes use to reach the gateways.
public struct GluonFastd: Sendable, Equatable {
    /// Where the fastd table lives: `fastd_mesh_vpn` (≤2016) or `mesh_vpn.fastd`.
    public var tablePath: [LuaKey]
    public var mtu: GluonMTU?
    /// Crypto methods in the site's order of preference.
    public var methods: [String]
    public var groups: [GluonPeerGroup<GluonFastdPeer>]

    /// Every peer in every group and subgroup.
    public var allPeers: [GluonFastdPeer] { groups.flatMap(\.allPeers) }
}

/// A named group of peers with a connection limit, possibly holding subgroups.
public struct GluonPeerGroup<Peer: Sendable & Equatable>: Sendable, Equatable {
    public var name: String
    public var limit: Int?
    public var peers: [Peer]
    public var groups: [GluonPeerGroup<Peer>]

    public init(name: String, limit: Int? = nil, peers: [Peer] = [], groups: [GluonPeerGroup<Peer>] = []) {
        self.name = name
        self.limit = limit
        self.peers = peers
        self.groups = groups
    }

    public var allPeers: [Peer] { peers + groups.flatMap(\.allPeers) }
}

/// A gateway as nodes know it: its fastd public key and where to reach it.
public struct GluonFastdPeer: Sendable, Equatable {
    public var name: String
    public var key: String?
    public var remotes: [GluonRemoteEntry]
    /// Where `key` was written, so `gluon check` can point at it.
    public var keyLocation: SourceLocation? = nil

    /// The key's line, else the first remote's: where an admin finds this peer.
    public var location: SourceLocation? { keyLocation ?? remotes.lazy.compactMap(\.location).first }

    public static func == (lhs: GluonFastdPeer, rhs: GluonFastdPeer) -> Bool {
        lhs.name == rhs.name && lhs.key == rhs.key && lhs.remotes == rhs.remotes
    }
}

/// One remote string as written, with the parsed remote or why it could not be read (placeholders like `port xxxxxx`).
public struct GluonRemoteEntry: Sendable, Equatable {
    public var text: String
    public var location: SourceLocation?
    public var parsed: Result<GluonRemote, GluonRemoteError>

    public var remote: GluonRemote? { try? parsed.get() }

    public var problem: GluonRemoteError? {
        if case .failure(let error) = parsed { return error }
        return nil
    }

    public static func == (lhs: GluonRemoteEntry, rhs: GluonRemoteEntry) -> Bool {
        lhs.text == rhs.text && lhs.parsed == rhs.parsed
    }
}

/// WireGuard as configured by the site (Gluon's mesh-vpn-wireguard or community packages).
public struct GluonWireGuard: Sendable, Equatable {
    public var enabled: Bool?
    public var mtu: GluonMTU?
    /// Peers listed directly under `mesh_vpn.wireguard.peers` (often positional, without names).
    public var peers: [GluonWireGuardPeer]
    /// Peer groups under `mesh_vpn.wireguard.groups`.
    public var groups: [GluonPeerGroup<GluonWireGuardPeer>]
    /// München's wgkex key broker (`broker = 'host'`), which registers node keys with the gateways.
    public var broker: String? = nil
    /// Where `broker` is written.
    public var brokerLocation: SourceLocation? = nil

    public var allPeers: [GluonWireGuardPeer] { peers + groups.flatMap(\.allPeers) }

    /// München's wgkex flavour (a broker, or peers with their own `link_address`), not Gluon's upstream schema.
    public var isWgkexFlavour: Bool { broker != nil || allPeers.contains { $0.linkAddress != nil } }
}

/// A WireGuard gateway peer; key and endpoint names differ between packages, so every spelling is read.
public struct GluonWireGuardPeer: Sendable, Equatable {
    /// The table key, or nil for positional peers.
    public var name: String?
    /// `public_key` (Gluon upstream), `publickey` (München) or `key`.
    public var publicKey: String?
    /// `endpoint` or `remote`, as written.
    public var endpoint: String?
    public var brokerPort: Int?
    /// München's `link_address`: the address nodes accept from this gateway (upstream Gluon: always fe80::1).
    public var linkAddress: String? = nil
    /// Where the key and the endpoint are written, so import and check can point at them without echoing them.
    public var keyLocation: SourceLocation? = nil
    public var endpointLocation: SourceLocation? = nil
    /// Where the peer's own table begins.
    public var location: SourceLocation? = nil

    /// The endpoint read strictly; nil when it is absent or no `host:port`.
    public var parsedEndpoint: GluonWireGuardEndpoint? { endpoint.flatMap(GluonWireGuardEndpoint.parse) }

    public static func == (lhs: GluonWireGuardPeer, rhs: GluonWireGuardPeer) -> Bool {
        lhs.name == rhs.name && lhs.publicKey == rhs.publicKey && lhs.endpoint == rhs.endpoint && lhs.brokerPort == rhs.brokerPort
            && lhs.linkAddress == rhs.linkAddress
    }
}
