import GatewayBase

/// A mesh node's address on a WireGuard link, in fe80::/10: whatever the system printed is parsed into this before it
/// goes into an argument list, so a hostile or garbled line can only be dropped, never smuggled into a command.
public struct NodeAddress: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let address: IPv6Address

    /// A bare link-local address (`fe80::1`), as `bridge` and `ip` print a /128 destination.
    public init?(_ text: some StringProtocol) {
        guard let address = IPv6Address(text), AddressScope.of(address) == .linkLocal else { return nil }
        self.address = address
    }

    /// A link-local `/128` (an allowed IP); wider prefixes and other ranges are no single node.
    public init?(hostPrefix text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1] == "128" else { return nil }
        self.init(parts[0])
    }

    /// RFC 5952 spelling: the same text wg, bridge and ip print, and what commands get.
    public var description: String { address.description }

    /// The route destination and allowed IP of the node.
    public var hostPrefix: String { "\(address)/128" }

    public static func < (a: NodeAddress, b: NodeAddress) -> Bool { a.address < b.address }
}
