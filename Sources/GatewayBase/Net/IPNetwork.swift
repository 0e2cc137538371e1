/// Either family's prefix, for firewall matches and SSH source lists that mix both.
public enum IPNetwork: Hashable, Sendable, CustomStringConvertible {
    case v4(IPv4Network)
    case v6(IPv6Network)

    public init?(_ text: some StringProtocol, strict: Bool = true) {
        if let v4 = IPv4Network(text, strict: strict) {
            self = .v4(v4)
        } else if let v6 = IPv6Network(text, strict: strict) {
            self = .v6(v6)
        } else {
            return nil
        }
    }

    public func contains(_ address: IPAddress) -> Bool {
        switch (self, address) {
        case (.v4(let network), .v4(let address)): network.contains(address)
        case (.v6(let network), .v6(let address)): network.contains(address)
        default: false
        }
    }

    public var description: String {
        switch self {
        case .v4(let network): network.description
        case .v6(let network): network.description
        }
    }
}
