import GatewayBase

/// One domain's bridge as one family sees it: the gateway's address there and a client's.
struct MeshSide: Sendable {
    let code: String
    let bridge: String
    let gatewayAddress: IPAddress
    let client: IPAddress
    /// IPv4 prefixes are NATed out the uplink; IPv6 ones are routed as they are.
    let prefix: IPNetwork
    /// The MSS the clamp must set on this bridge's SYNs: the domain's client MTU less the headers.
    let mss: UInt16
    /// False for IPv6 of a unique-local prefix: nothing on the internet could answer, so the gateway refuses to forward.
    let reachesInternet: Bool
    /// The exit tunnel this family's clients leave through instead of the uplink; nil: the uplink.
    let exit: ExitTunnel?

    init?(view: GatewayDomainView, family: IPFamily, exit: ExitTunnel?) {
        self.exit = family == .ipv4 && exit?.carries(view.domain) == true ? exit : nil
        code = view.domain.code
        bridge = view.domain.bridgeInterface
        mss = UInt16(clamping: view.domain.clientMSS(family))
        reachesInternet = family == .ipv4 || !view.domain.hasUniqueLocalPrefix6
        switch family {
        case .ipv4:
            guard let prefix4 = view.domain.prefix4, let address = view.entry.ipv4 else { return nil }
            gatewayAddress = .v4(address)
            client = IntentAddresses.client(in: prefix4, gateway: address, dhcpRanges: view.dhcpRanges)
            prefix = .v4(prefix4)
        case .ipv6:
            gatewayAddress = .v6(view.entry.ipv6)
            client = IntentAddresses.client(in: view.domain.prefix6, gateway: view.entry.ipv6)
            prefix = .v6(view.domain.prefix6)
        }
    }
}
