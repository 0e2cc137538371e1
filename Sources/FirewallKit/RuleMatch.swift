import GatewayBase

/// One condition of a rule, typed where the evaluator can decide it and kept raw where it cannot.
public enum RuleMatch: Hashable, Sendable {
    case source(AddressMatch)
    case destination(AddressMatch)
    case inInterface(InterfaceMatch)
    case outInterface(InterfaceMatch)
    case `protocol`(ProtocolMatch)
    /// `-f`: second and later fragments.
    case fragment(negated: Bool)
    /// `-m tcp|udp|udplite|sctp|dccp` (or implied by `-p tcp --dport`).
    case transport(TransportMatch)
    case multiport(MultiportMatch)
    case conntrack(ConntrackMatch)
    case state(StateMatch)
    case packetType(PacketTypeMatch)
    case addressType(AddressTypeMatch)
    /// `-m icmp --icmp-type` (IPv4) and `-m icmp6 --icmpv6-type` (IPv6).
    case icmp(ICMPTypeMatch)
    case mark(MarkMatch)
    case comment(String)
    case mac(MACMatch)
    /// IPv6 `-m rt`.
    case routingHeader(RoutingHeaderMatch)
    /// `-m iprange --src-range/--dst-range`.
    case addressRange(AddressRangeMatch)
    /// Any other module (limit, recent, set, string, rpfilter, physdev, unknown ones) with its options as written.
    case module(ModuleMatch)

    /// The `-m` name this match loads, nil for the built-in `-s -d -i -o -p -f`.
    public var moduleName: String? {
        switch self {
        case .source, .destination, .inInterface, .outInterface, .protocol, .fragment: nil
        case .transport(let match): match.protocolName
        case .multiport: "multiport"
        case .conntrack: "conntrack"
        case .state: "state"
        case .packetType: "pkttype"
        case .addressType: "addrtype"
        case .icmp(let match): match.family == .ipv4 ? "icmp" : "icmp6"
        case .mark: "mark"
        case .comment: "comment"
        case .mac: "mac"
        case .routingHeader: "rt"
        case .addressRange: "iprange"
        case .module(let match): match.name
        }
    }
}

/// `-s`/`-d`; iptables masks host bits, so `10.1.2.3/8` means `10.0.0.0/8`.
public struct AddressMatch: Hashable, Sendable {
    public var network: IPNetwork
    public var negated: Bool

    public init(_ network: IPNetwork, negated: Bool = false) {
        self.network = network
        self.negated = negated
    }
}

/// `-i`/`-o` with the kernel's `+` prefix wildcard.
public struct InterfaceMatch: Hashable, Sendable {
    public var name: String
    public var negated: Bool

    public init(_ name: String, negated: Bool = false) {
        self.name = name
        self.negated = negated
    }

    /// `eth+` matches every name starting with `eth`; `+` alone matches all.
    public func matches(_ interface: String) -> Bool {
        let hit: Bool
        if name.hasSuffix("+") {
            hit = interface.hasPrefix(name.dropLast())
        } else {
            hit = interface == name
        }
        return hit != negated
    }
}

/// `-p`; nil number means `all`.
public struct ProtocolMatch: Hashable, Sendable {
    public var number: UInt8?
    public var negated: Bool

    public init(_ number: UInt8?, negated: Bool = false) {
        self.number = number
        self.negated = negated
    }
}

/// A port or port range with optional `!`, as `--dport 1024:65535` writes it.
public struct PortMatch: Hashable, Sendable {
    public var range: ClosedRange<UInt16>
    public var negated: Bool

    public init(_ range: ClosedRange<UInt16>, negated: Bool = false) {
        self.range = range
        self.negated = negated
    }
}

/// `--tcp-flags MASK COMPARE` (and `--syn`, which is `FIN,SYN,RST,ACK SYN`).
public struct TCPFlagsMatch: Hashable, Sendable {
    public var mask: TCPFlags
    public var compare: TCPFlags
    public var negated: Bool

    public init(mask: TCPFlags, compare: TCPFlags, negated: Bool = false) {
        self.mask = mask
        self.compare = compare
        self.negated = negated
    }

    public static let syn = TCPFlagsMatch(mask: [.fin, .syn, .rst, .ack], compare: [.syn])
}

/// The port matches of tcp, udp, udplite, sctp and dccp.
public struct TransportMatch: Hashable, Sendable {
    /// Module name: tcp, udp, udplite, sctp, dccp.
    public let protocolName: String
    /// The IP protocol the module's name stands for, looked up once rather than per packet.
    public let protocolNumber: UInt8
    public var sourcePort: PortMatch?
    public var destinationPort: PortMatch?
    /// tcp only.
    public var tcpFlags: TCPFlagsMatch?
    /// Options not modelled (`--tcp-option`, `--chunk-types`…); the evaluator cannot decide a rule with any.
    public var extra: [ExtensionOption]

    public init(protocolName: String, sourcePort: PortMatch? = nil, destinationPort: PortMatch? = nil, tcpFlags: TCPFlagsMatch? = nil, extra: [ExtensionOption] = []) {
        self.protocolName = protocolName
        self.protocolNumber = KnownNames.protocolNumber(protocolName) ?? 0
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.tcpFlags = tcpFlags
        self.extra = extra
    }
}

/// `-m multiport --dports/--sports/--ports` with up to 15 ports or ranges.
public struct MultiportMatch: Hashable, Sendable {
    public enum Direction: Hashable, Sendable { case source, destination, either }
    public var direction: Direction
    public var ports: [ClosedRange<UInt16>]
    public var negated: Bool

    public init(_ direction: Direction, ports: [ClosedRange<UInt16>], negated: Bool = false) {
        self.direction = direction
        self.ports = ports
        self.negated = negated
    }
}

/// A set of conntrack states, as `--ctstate`/`--state` list them.
public struct StateMatch: Hashable, Sendable {
    public var states: ConntrackStates
    public var negated: Bool

    public init(_ states: ConntrackStates, negated: Bool = false) {
        self.states = states
        self.negated = negated
    }
}

/// `-m conntrack`; only `--ctstate` is decided, everything else stays raw.
public struct ConntrackMatch: Hashable, Sendable {
    public var state: StateMatch?
    public var extra: [ExtensionOption]

    public init(state: StateMatch?, extra: [ExtensionOption] = []) {
        self.state = state
        self.extra = extra
    }
}

/// `-m pkttype --pkt-type`.
public struct PacketTypeMatch: Hashable, Sendable {
    public var type: PacketType
    public var negated: Bool

    public init(_ type: PacketType, negated: Bool = false) {
        self.type = type
        self.negated = negated
    }
}

/// `-m addrtype`; a side matches when the address has any of the listed types.
public struct AddressTypeMatch: Hashable, Sendable {
    public var source: AddressTypes?
    public var sourceNegated: Bool
    public var destination: AddressTypes?
    public var destinationNegated: Bool
    public var limitToInInterface: Bool
    public var limitToOutInterface: Bool

    public init(source: AddressTypes? = nil, sourceNegated: Bool = false, destination: AddressTypes? = nil, destinationNegated: Bool = false, limitToInInterface: Bool = false, limitToOutInterface: Bool = false) {
        self.source = source
        self.sourceNegated = sourceNegated
        self.destination = destination
        self.destinationNegated = destinationNegated
        self.limitToInInterface = limitToInInterface
        self.limitToOutInterface = limitToOutInterface
    }
}

/// `--icmp-type`/`--icmpv6-type`: a type and a code range (all codes unless `type/code`); nil type is `any`.
public struct ICMPTypeMatch: Hashable, Sendable {
    public var family: IPFamily
    public var type: UInt8?
    public var codes: ClosedRange<UInt8>
    public var negated: Bool

    public init(family: IPFamily, type: UInt8?, codes: ClosedRange<UInt8> = 0...255, negated: Bool = false) {
        self.family = family
        self.type = type
        self.codes = codes
        self.negated = negated
    }
}

/// `-m mark --mark value[/mask]`.
public struct MarkMatch: Hashable, Sendable {
    public var value: UInt32
    public var mask: UInt32
    public var negated: Bool

    public init(value: UInt32, mask: UInt32 = .max, negated: Bool = false) {
        self.value = value
        self.mask = mask
        self.negated = negated
    }
}

/// `-m mac --mac-source`, stored upper-case as iptables-save prints it.
public struct MACMatch: Hashable, Sendable {
    public var address: String
    public var negated: Bool

    public init(_ address: String, negated: Bool = false) {
        self.address = address.uppercased()
        self.negated = negated
    }

    /// A dump that replaced the address by `XX:XX:XX:XX:XX:XX` cannot decide any packet.
    public var isRedacted: Bool { address.utf8.contains(UInt8(ascii: "X")) }
}

/// IPv6 `-m rt`; only `--rt-type` is decided.
public struct RoutingHeaderMatch: Hashable, Sendable {
    public var type: UInt8?
    public var typeNegated: Bool
    public var extra: [ExtensionOption]

    public init(type: UInt8?, typeNegated: Bool = false, extra: [ExtensionOption] = []) {
        self.type = type
        self.typeNegated = typeNegated
        self.extra = extra
    }
}

/// An inclusive address range, as `-m iprange` writes `first-last`.
public struct AddressRange: Hashable, Sendable, CustomStringConvertible {
    public var first: IPAddress
    public var last: IPAddress
    public var negated: Bool

    public init(first: IPAddress, last: IPAddress, negated: Bool = false) {
        self.first = first
        self.last = last
        self.negated = negated
    }

    /// Whether `address` lies between first and last (same family only).
    public func contains(_ address: IPAddress) -> Bool {
        switch (first, last, address) {
        case (.v4(let low), .v4(let high), .v4(let value)): low <= value && value <= high
        case (.v6(let low), .v6(let high), .v6(let value)): low <= value && value <= high
        default: false
        }
    }

    public var description: String { "\(first)-\(last)" }
}

/// `-m iprange`; either side may be absent.
public struct AddressRangeMatch: Hashable, Sendable {
    public var source: AddressRange?
    public var destination: AddressRange?

    public init(source: AddressRange? = nil, destination: AddressRange? = nil) {
        self.source = source
        self.destination = destination
    }
}

/// A module the evaluator cannot decide from one packet (rate limits, recent lists, ipsets…), kept verbatim.
public struct ModuleMatch: Hashable, Sendable {
    public var name: String
    public var options: [ExtensionOption]

    public init(name: String, options: [ExtensionOption]) {
        self.name = name
        self.options = options
    }
}
