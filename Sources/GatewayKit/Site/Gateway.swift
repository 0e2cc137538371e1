import GatewayBase

/// One gateway server: how to reach it and what it is in each domain.
public struct Gateway: Sendable, Equatable {
    public var name: String
    public var connection: GatewayConnection
    public var uplink: String
    public var domains: [GatewayDomain]
    /// How nodes reach this gateway (host name or address); nil: the SSH host.
    public var publicHost: String? = nil
    /// The firmware's fastd peer name, when the gateway's own name cannot be it (`ffki_vpn0` for `ffki-vpn0`).
    public var gluonPeer: String? = nil
    /// The firmware's WireGuard peer name, when it is not the fastd peer's (Gluon's own example: fastd `peer1`, WireGuard `vpn1`).
    public var gluonWireGuardPeer: String? = nil
    /// The public half of the gateway's tinc host key, which apply generates and prints; nil until the site holds it.
    public var tincPublicKey: TincPublicKey? = nil
    /// The gateway's address inside the exit tunnel; required when the site has an exit.
    public var exitAddress: ExitAddress? = nil
    /// The public half of the gateway's WireGuard mesh key, which apply generates and prints; nil until the site holds it.
    public var wireguardPublicKey: WireGuardPublicKey? = nil

    /// The host nodes connect to: `public_host`, else the SSH host; nil for a local gateway without one.
    public var nodeFacingHost: String? {
        if let publicHost { return publicHost }
        if case .ssh(_, let host, _) = connection { return host }
        return nil
    }

    public func domain(_ code: String) -> GatewayDomain? { domains.first { $0.code == code } }
}

/// How gwsetup reaches the gateway: this machine, or OpenSSH.
public enum GatewayConnection: Sendable, Equatable, CustomStringConvertible {
    case local
    case ssh(user: String, host: String, port: Int)

    public var description: String {
        switch self {
        case .local: "local"
        case .ssh(let user, let host, let port): port == 22 ? "\(user)@\(host)" : "\(user)@\(host):\(port)"
        }
    }
}

/// The gateway's part of one domain: its addresses on the bridge and its share of the DHCP pool.
public struct GatewayDomain: Sendable, Equatable {
    public var code: String
    public var ipv4: IPv4Address?
    public var ipv6: IPv6Address
    /// Given in the site file, or nil to take this gateway's slice of the domain's pool.
    public var dhcpRange: IPv4Range?
    /// The public key of this gateway's fastd instance for the domain, as the firmware lists it (64 hex digits).
    public var fastdPublicKey: String? = nil
    /// A file on the admin's machine holding this instance's existing fastd secret (relative to the site file); only its path is kept.
    public var fastdSecretFile: String? = nil
    /// The firmware's remotes for this peer, in order, as written (`ipv4 "gw1.example" port 10000`, `[2001:db8::1]:10000`).
    public var firmwareRemotes: [String]? = nil
    /// The firmware group the peer sits in (`backbone`, `backbone/north`); nil: the domain's first group.
    public var peerGroup: [String]? = nil
    /// This gateway's first fastd port for the domain, where it differs from the domain's `fastd.port`.
    public var fastdPort: Int? = nil
}
