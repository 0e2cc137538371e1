import GatewayBase

/// The addresses of one family that derived intents put on their packets: the site's own where it has them,
/// stand-ins where it cannot know them. Internet hosts are IANA's own public servers (example.com, iana.org), not
/// documentation prefixes, because gateways that filter bogons on the uplink rightly drop those.
struct IntentAddresses: Sendable {
    let family: IPFamily
    /// The gateway's address on the uplink; the site does not record it, and the rules gwsetup renders never name it.
    let uplinkAddress: IPAddress
    /// A host on the internet that connects to the gateway, or that clients connect to.
    let internetHost: IPAddress
    /// An internet host outside every `ssh_allow_from` prefix, nil when SSH is open to the whole family.
    let refusedSSHSource: IPAddress?
    /// One address inside each allowed SSH prefix of this family, with the prefix it stands for.
    let allowedSSHSources: [(source: IPAddress, prefix: IPNetwork)]
    /// Internet hosts to pick a sender outside some prefixes from.
    private let candidates: [IPAddress]

    static func v4(allowedSSH: [IPNetwork]) -> IntentAddresses {
        let candidates = ["93.184.216.34", "192.0.43.10", "203.0.113.7"].compactMap(IPAddress.init)
        return IntentAddresses(family: .ipv4, uplinkAddress: IPAddress("198.51.100.1")!, internetHost: candidates[0],
                               candidates: candidates, allowedSSH: allowedSSH)
    }

    static func v6(allowedSSH: [IPNetwork]) -> IntentAddresses {
        let candidates = ["2606:2800:220:1:248:1893:25c8:1946", "2001:500:88:200::10", "2001:db8:ffff::7"].compactMap(IPAddress.init)
        return IntentAddresses(family: .ipv6, uplinkAddress: IPAddress("2001:db8:ffff:1::1")!, internetHost: candidates[0],
                               candidates: candidates, allowedSSH: allowedSSH)
    }

    private init(family: IPFamily, uplinkAddress: IPAddress, internetHost: IPAddress, candidates: [IPAddress], allowedSSH: [IPNetwork]) {
        self.family = family
        self.uplinkAddress = uplinkAddress
        self.internetHost = internetHost
        self.candidates = candidates
        let prefixes = allowedSSH.filter { $0.family == family }
        refusedSSHSource = candidates.first { candidate in !prefixes.contains { $0.contains(candidate) } }
        allowedSSHSources = prefixes.map { prefix in
            // A /0 stands for "anyone": an ordinary internet host shows that best.
            (prefix.prefixLength == 0 ? internetHost : prefix.sampleHost, prefix)
        }
    }

    /// An internet host outside every one of `prefixes`, nil when they cover all the candidates.
    func internetHost(outside prefixes: [IPNetwork]) -> IPAddress? {
        candidates.first { candidate in !prefixes.contains { $0.contains(candidate) } }
    }

    /// A client of a mesh prefix: the first address dnsmasq may lease (its ranges leave out every address in use),
    /// else one past the gateway.
    static func client(in prefix: IPv4Network, gateway: IPv4Address?, dhcpRanges: [IPv4Range]) -> IPAddress {
        if let first = dhcpRanges.first?.first, first != gateway { return .v4(first) }
        let base = prefix.address.value
        let offsets: [UInt32] = [100, 5, 2, 1].filter { UInt64($0) < prefix.size }
        let chosen = offsets.map { base + $0 }.first { $0 != gateway?.value } ?? base
        return .v4(IPv4Address(value: chosen))
    }

    /// A SLAAC-looking client of a mesh prefix, never the gateway's own address.
    static func client(in prefix: IPv6Network, gateway: IPv6Address) -> IPAddress {
        let candidate = IPv6Address(high: prefix.address.high, low: prefix.address.low | 0x0200_5eff_fe00_5301)
        if prefix.contains(candidate) && candidate != gateway { return .v6(candidate) }
        return .v6(IPv6Address(high: prefix.address.high, low: prefix.address.low | (gateway.low == 2 ? 3 : 2)))
    }
}

extension IPNetwork {
    var family: IPFamily {
        if case .v6 = self { return .ipv6 }
        return .ipv4
    }

    var prefixLength: Int {
        switch self {
        case .v4(let network): network.prefixLength
        case .v6(let network): network.prefixLength
        }
    }

    /// An address inside the prefix that is not its network address (unless the prefix is a single host).
    var sampleHost: IPAddress {
        switch self {
        case .v4(let network):
            return .v4(network.size > 2 ? IPv4Address(value: network.address.value + 1) : network.address)
        case .v6(let network):
            let host = IPv6Address(high: network.address.high, low: network.address.low | 1)
            return .v6(network.contains(host) ? host : network.address)
        }
    }
}
