/// Either family, for places (firewall rules, DNS servers) where both appear side by side.
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    case v4(IPv4Address)
    case v6(IPv6Address)

    public init?(_ text: some StringProtocol) {
        if let v4 = IPv4Address(text) { self = .v4(v4) } else if let v6 = IPv6Address(text) { self = .v6(v6) } else { return nil }
    }

    public var description: String {
        switch self {
        case .v4(let address): address.description
        case .v6(let address): address.description
        }
    }
}
