import GatewayBase

/// `exit`: the clients' IPv4 leaves through a WireGuard tunnel to an exit server (a VPN provider or the community's
/// own), while the gateway's own traffic and the tunnel's outer packets keep using the uplink.
public struct ExitTunnel: Sendable, Equatable {
    /// What happens to client traffic while the tunnel is down.
    public enum Fallback: String, Sendable, CaseIterable {
        /// Clients get "network unreachable": nothing of theirs leaves through the uplink.
        case none
        /// Clients are NATed out of the uplink until the tunnel is back.
        case uplink
    }

    /// The far end: an IP address or host name, and its UDP port.
    public var endpoint: ExitEndpoint
    /// The exit server's WireGuard public key.
    public var publicKey: WireGuardPublicKey
    /// The tunnel's MTU: WireGuard's 1420 over an IPv4 underlay, less on DS-Lite or PPPoE uplinks.
    public var mtu: Int = ExitTunnel.defaultMTU
    /// Seconds between keepalives, so the uplink's NAT keeps the tunnel's mapping.
    public var keepalive: Int = 25
    public var fallback: Fallback = .none
    /// The domains whose clients use the exit; nil: every domain.
    public var domains: [String]? = nil

    public static let defaultMTU = 1420
    /// The gateway's tunnel interface: no domain's interface name can make it (those are `br-`, `bat-`, `vpn-`, `tnc-` + name).
    public static let interface = "gw-exit"
    /// The routing table whose default route is the exit; the clients' prefixes look it up.
    public static let routingTable = 4200
    /// Rule priorities, before main (32766): the gateway's meshes in main, then the exit's table, then unreachable.
    public static let meshPriority = 31000
    public static let tablePriority = 31001
    public static let unreachablePriority = 31002

    /// Whether clients of `domain` leave through the exit; only IPv4 does, since it alone is NATed.
    public func carries(_ domain: MeshDomain) -> Bool {
        domain.prefix4 != nil && (domains?.contains(domain.code) ?? true)
    }

    /// The MSS a SYN may carry through the tunnel: its MTU less IPv4 and TCP headers.
    public var mss: Int { mtu - 40 }
}

/// `HOST:PORT` or `[IPv6]:PORT`, as WireGuard's `Endpoint` takes it.
public struct ExitEndpoint: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

extension Site {
    /// The exit `gateway` sends its clients through; nil when the site has none or the gateway serves no domain it carries.
    public func exit(for gateway: Gateway) -> ExitTunnel? {
        views(for: gateway).lazy.compactMap { exit(carrying: $0.domain) }.first
    }

    /// The exit `domain`'s clients leave through; nil when the site has none or it does not carry the domain.
    public func exit(carrying domain: MeshDomain) -> ExitTunnel? {
        guard let exit, exit.carries(domain) else { return nil }
        return exit
    }
}

/// The gateway's own address inside the tunnel, as the exit server assigned it (`10.200.0.2/32`).
public struct ExitAddress: Sendable, Equatable, CustomStringConvertible {
    public var address: IPv4Address
    public var prefixLength: Int

    public var description: String { "\(address)/\(prefixLength)" }
}
