import GatewayBase

/// The node routes on a WireGuard link: its /128 link-local routes with protocol static
/// (`ip -j -6 route show dev wg-X proto static`, iproute2 6.1, which leaves out `dev` and `protocol` it filtered on).
public struct NodeRoutes: Sendable, Equatable {
    public var addresses: [NodeAddress]
    /// Routes whose destination did not parse.
    public var ignoredLines: Int

    public static func command(wireguard: String) -> [String] { ["ip", "-j", "-6", "route", "show", "dev", wireguard, "proto", "static"] }

    public init(addresses: [NodeAddress], ignoredLines: Int = 0) {
        self.addresses = addresses
        self.ignoredLines = ignoredLines
    }

    /// nil when the output is no JSON array. Prefixes other than /128, other route types and addresses outside
    /// fe80::/10 are left out: they are not the agent's to touch.
    public init?(json: String, wireguard: String) {
        guard let rows = JSONRows.decode(json) else { return nil }
        var addresses: [NodeAddress] = [], ignored = 0
        for row in rows {
            guard let row else { ignored += 1; continue }
            if let type = row.string("type"), type != "unicast" { continue }
            if let device = row.string("dev"), device != wireguard { continue }
            if let protocolName = row.string("protocol"), protocolName != "static" { continue }
            if let table = row.string("table"), table != "main" { continue }
            guard let destination = row.string("dst") else { ignored += 1; continue }
            let parts = destination.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let network = IPv6Network(destination, strict: false) else {
                if IPv4Network(destination, strict: false) == nil && destination != "default" { ignored += 1 }
                continue
            }
            guard network.prefixLength == 128, let address = NodeAddress(parts[0]) else { continue }
            addresses.append(address)
        }
        self.init(addresses: addresses, ignoredLines: ignored)
    }
}
