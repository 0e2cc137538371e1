/// TCP header flags, for `--tcp-flags`/`--syn` and for describing a packet.
public struct TCPFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let fin = TCPFlags(rawValue: 0x01)
    public static let syn = TCPFlags(rawValue: 0x02)
    public static let rst = TCPFlags(rawValue: 0x04)
    public static let psh = TCPFlags(rawValue: 0x08)
    public static let ack = TCPFlags(rawValue: 0x10)
    public static let urg = TCPFlags(rawValue: 0x20)
    public static let ece = TCPFlags(rawValue: 0x40)
    public static let cwr = TCPFlags(rawValue: 0x80)
    public static let all: TCPFlags = [.fin, .syn, .rst, .psh, .ack, .urg]

    /// iptables' spelling and print order.
    static let names: [(String, TCPFlags)] = [
        ("FIN", .fin), ("SYN", .syn), ("RST", .rst), ("PSH", .psh), ("ACK", .ack), ("URG", .urg), ("ECE", .ece), ("CWR", .cwr),
    ]

    init?(listing text: String) {
        var flags: TCPFlags = []
        for name in text.uppercased().split(separator: ",", omittingEmptySubsequences: false) {
            switch name {
            case "ALL": flags.formUnion(.all)
            case "NONE": break
            default:
                guard let flag = Self.names.first(where: { $0.0 == name })?.1 else { return nil }
                flags.insert(flag)
            }
        }
        self = flags
    }

    var listing: String {
        if isEmpty { return "NONE" }
        return Self.names.filter { contains($0.1) }.map(\.0).joined(separator: ",")
    }
}

/// Conntrack states as `--ctstate`/`--state` name them, in iptables' print order.
public struct ConntrackStates: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let invalid = ConntrackStates(rawValue: 0x01)
    public static let new = ConntrackStates(rawValue: 0x02)
    public static let related = ConntrackStates(rawValue: 0x04)
    public static let established = ConntrackStates(rawValue: 0x08)
    public static let untracked = ConntrackStates(rawValue: 0x10)
    /// conntrack-only virtual states: the connection's address was translated.
    public static let snat = ConntrackStates(rawValue: 0x20)
    public static let dnat = ConntrackStates(rawValue: 0x40)

    static let names: [(String, ConntrackStates)] = [
        ("INVALID", .invalid), ("NEW", .new), ("RELATED", .related), ("ESTABLISHED", .established),
        ("UNTRACKED", .untracked), ("SNAT", .snat), ("DNAT", .dnat),
    ]

    init?(listing text: String) {
        var states: ConntrackStates = []
        for name in text.uppercased().split(separator: ",", omittingEmptySubsequences: false) {
            guard let state = Self.names.first(where: { $0.0 == name })?.1 else { return nil }
            states.insert(state)
        }
        self = states
    }

    var listing: String { Self.names.filter { contains($0.1) }.map(\.0).joined(separator: ",") }
}

/// The one conntrack state a packet is in.
public enum ConntrackState: String, Hashable, Sendable, CaseIterable {
    case new = "NEW"
    case established = "ESTABLISHED"
    case related = "RELATED"
    case invalid = "INVALID"
    case untracked = "UNTRACKED"

    var asSet: ConntrackStates {
        switch self {
        case .new: .new
        case .established: .established
        case .related: .related
        case .invalid: .invalid
        case .untracked: .untracked
        }
    }
}

/// Link-layer packet type as `-m pkttype` sees it.
public enum PacketType: String, Hashable, Sendable, CaseIterable {
    case unicast
    case broadcast
    case multicast
    case otherhost
}

/// Routing types of an address as `-m addrtype` sees them (kernel RTN_* order).
public struct AddressTypes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let unspec = AddressTypes(rawValue: 1 << 0)
    public static let unicast = AddressTypes(rawValue: 1 << 1)
    public static let local = AddressTypes(rawValue: 1 << 2)
    public static let broadcast = AddressTypes(rawValue: 1 << 3)
    public static let anycast = AddressTypes(rawValue: 1 << 4)
    public static let multicast = AddressTypes(rawValue: 1 << 5)
    public static let blackhole = AddressTypes(rawValue: 1 << 6)
    public static let unreachable = AddressTypes(rawValue: 1 << 7)
    public static let prohibit = AddressTypes(rawValue: 1 << 8)
    public static let `throw` = AddressTypes(rawValue: 1 << 9)
    public static let nat = AddressTypes(rawValue: 1 << 10)
    public static let xresolve = AddressTypes(rawValue: 1 << 11)

    static let names: [(String, AddressTypes)] = [
        ("UNSPEC", .unspec), ("UNICAST", .unicast), ("LOCAL", .local), ("BROADCAST", .broadcast),
        ("ANYCAST", .anycast), ("MULTICAST", .multicast), ("BLACKHOLE", .blackhole), ("UNREACHABLE", .unreachable),
        ("PROHIBIT", .prohibit), ("THROW", .throw), ("NAT", .nat), ("XRESOLVE", .xresolve),
    ]

    init?(listing text: String) {
        var types: AddressTypes = []
        for name in text.uppercased().split(separator: ",", omittingEmptySubsequences: false) {
            guard let type = Self.names.first(where: { $0.0 == name })?.1 else { return nil }
            types.insert(type)
        }
        self = types
    }

    var listing: String { Self.names.filter { contains($0.1) }.map(\.0).joined(separator: ",") }
}
