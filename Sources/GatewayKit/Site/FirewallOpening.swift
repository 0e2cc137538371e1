import GatewayBase

/// A port the site opens beyond gwsetup's own services (a web server, bird, a monitoring port), so no one has to
/// replace the firewall template for it.
public struct FirewallOpening: Sendable, Equatable {
    /// Where the packets come in: the internet on the gateway's uplink, or the clients on every mesh bridge.
    public enum Side: String, Sendable, CaseIterable {
        case uplink
        case mesh

        /// The filter chain gwsetup's rules use for this side.
        var chain: String { self == .uplink ? "gw-wan-in" : "gw-mesh-in" }
    }

    public enum TransportProtocol: String, Sendable, CaseIterable {
        case tcp
        case udp
    }

    /// Names the rule's comment (`open NAME`) and verify's intent ids (`ipv4.uplink.open-NAME`).
    public var name: String
    public var side: Side
    public var transport: TransportProtocol
    public var ports: ClosedRange<Int>
    /// Who may connect; empty means anyone of either family.
    public var sources: [IPNetwork]

    /// The sources of one family; nil when the opening is closed to that family (its `from` lists only the other).
    func sources(of family: IPFamily) -> [IPNetwork?]? {
        if sources.isEmpty { return [nil] }
        let matching = sources.filter { $0.family == family }
        return matching.isEmpty ? nil : matching.map { $0.prefixLength == 0 ? nil : $0 }
    }

    /// `443` or `60000-60100`, as the site writes it.
    var portText: String { ports.count == 1 ? "\(ports.lowerBound)" : "\(ports.lowerBound)-\(ports.upperBound)" }

    /// `--dport`'s argument: iptables writes a range with `:`.
    var destinationPortArgument: String { ports.count == 1 ? "\(ports.lowerBound)" : "\(ports.lowerBound):\(ports.upperBound)" }

    /// `tcp/443`, as messages and intent sentences name it.
    var label: String { "\(transport.rawValue)/\(portText)" }
}

/// The site's own firewall additions; everything else in the rules is derived from the services.
public struct FirewallSettings: Sendable, Equatable {
    public var openings: [FirewallOpening] = []
}
