/// Special-purpose ranges that can never be a mesh's client network, a gateway's address or a resolver:
/// a prefix or address inside one is a careless paste or an attack on the firewall, not a choice.
public enum AddressScope: String, Sendable {
    case unspecified = "the unspecified address"
    case thisNetwork = "0.0.0.0/8 (this network)"
    case loopback = "loopback"
    case multicast = "multicast"
    case linkLocal = "link-local"
    case broadcast = "the broadcast address"
    case ipv4Mapped = "IPv4-mapped (::ffff:0:0/96)"
    case reserved = "reserved (240.0.0.0/4)"

    /// The special range `address` lies in, or nil for an ordinary unicast address.
    public static func of(_ address: IPv4Address) -> AddressScope? {
        let value = address.value
        if value == 0 { return .unspecified }
        if value == .max { return .broadcast }
        switch value >> 24 {
        case 0: return .thisNetwork
        case 127: return .loopback
        case 224...239: return .multicast
        case 240...255: return .reserved
        default: break
        }
        if value >> 16 == 0xA9FE { return .linkLocal }
        return nil
    }

    public static func of(_ address: IPv6Address) -> AddressScope? {
        if address.high == 0 && address.low == 0 { return .unspecified }
        if address.high == 0 && address.low == 1 { return .loopback }
        if address.high >> 56 == 0xFF { return .multicast }
        if address.high >> 54 == 0x3FA { return .linkLocal }
        if address.high == 0 && address.low >> 32 == 0xFFFF { return .ipv4Mapped }
        return nil
    }

    public static func of(_ address: IPAddress) -> AddressScope? {
        switch address {
        case .v4(let v4): of(v4)
        case .v6(let v6): of(v6)
        }
    }

    /// The special blocks of each family, the ranges `of` names.
    static let blocks4: [(IPv4Network, AddressScope)] = [
        (IPv4Network("0.0.0.0/8")!, .thisNetwork), (IPv4Network("127.0.0.0/8")!, .loopback),
        (IPv4Network("169.254.0.0/16")!, .linkLocal), (IPv4Network("224.0.0.0/4")!, .multicast), (IPv4Network("240.0.0.0/4")!, .reserved),
    ]
    static let blocks6: [(IPv6Network, AddressScope)] = [
        (IPv6Network("::/128")!, .unspecified), (IPv6Network("::1/128")!, .loopback), (IPv6Network("::ffff:0:0/96")!, .ipv4Mapped),
        (IPv6Network("fe80::/10")!, .linkLocal), (IPv6Network("ff00::/8")!, .multicast),
    ]

    /// Why `network` cannot be a mesh prefix: the default route, or a prefix overlapping a special block.
    public static func meshPrefixDefect(_ network: IPv4Network) -> String? {
        if network.prefixLength == 0 { return "is the default route (every address), not a mesh prefix" }
        guard let (_, scope) = blocks4.first(where: { $0.0.overlaps(network) }) else { return nil }
        return "overlaps \(scope.rawValue) space, not a mesh prefix"
    }

    public static func meshPrefixDefect(_ network: IPv6Network) -> String? {
        if network.prefixLength == 0 { return "is the default route (every address), not a mesh prefix" }
        guard let (_, scope) = blocks6.first(where: { $0.0.overlaps(network) }) else { return nil }
        return "overlaps \(scope.rawValue) space, not a mesh prefix"
    }

    /// Why `network` cannot be a source allowed to reach SSH: it lies inside a special block.
    /// The default routes stay allowed: they are the documented "anyone".
    public static func sourcePrefixDefect(_ network: IPNetwork) -> String? {
        sourcePrefixScope(network).map { "lies in \($0.rawValue) space, from which no admin connects" }
    }

    /// The special-purpose space a source prefix lies in, nil for ordinary (or all) addresses.
    public static func sourcePrefixScope(_ network: IPNetwork) -> AddressScope? {
        switch network {
        case .v4(let v4): blocks4.first(where: { $0.0.prefixLength <= v4.prefixLength && $0.0.contains(v4.address) })?.1
            ?? (v4.prefixLength == 32 && v4.address.value == .max ? .broadcast : nil)
        case .v6(let v6): blocks6.first(where: { $0.0.prefixLength <= v6.prefixLength && $0.0.contains(v6.address) })?.1
        }
    }
}
