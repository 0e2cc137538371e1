import GatewayBase

/// IANA protocol numbers used in queries, so callers need not remember that UDP is 17.
public enum IPProtocolNumber {
    public static let icmp: UInt8 = 1
    public static let tcp: UInt8 = 6
    public static let udp: UInt8 = 17
    public static let gre: UInt8 = 47
    public static let esp: UInt8 = 50
    public static let icmpv6: UInt8 = 58
    public static let sctp: UInt8 = 132
}

/// The packet a query sends through the ruleset; a field left nil is unknown, and any rule that needs it makes the answer depend on it.
public struct Packet: Hashable, Sendable {
    public var source: IPAddress
    public var destination: IPAddress
    public var protocolNumber: UInt8
    /// Interface it arrived on (PREROUTING, INPUT, FORWARD); ignored where the kernel has none.
    public var inInterface: String?
    /// Interface it leaves by (FORWARD, OUTPUT, POSTROUTING); ignored where the kernel has none.
    public var outInterface: String?
    public var sourcePort: UInt16?
    public var destinationPort: UInt16?
    public var tcpFlags: TCPFlags?
    public var icmpType: UInt8?
    public var icmpCode: UInt8?
    public var state: ConntrackState
    public var packetType: PacketType?
    public var sourceAddressTypes: AddressTypes?
    public var destinationAddressTypes: AddressTypes?
    /// The netfilter mark; nil once something the evaluator cannot follow (CONNMARK --restore-mark) rewrote it.
    public var mark: UInt32?
    public var sourceMAC: String?
    /// A second or later fragment (`-f`).
    public var isFragment: Bool
    /// IPv6 routing header type; nil when the packet has none (then `-m rt` never matches).
    public var routingHeaderType: UInt8?

    public init(
        source: IPAddress, destination: IPAddress, protocolNumber: UInt8,
        inInterface: String? = nil, outInterface: String? = nil,
        sourcePort: UInt16? = nil, destinationPort: UInt16? = nil, tcpFlags: TCPFlags? = nil,
        icmpType: UInt8? = nil, icmpCode: UInt8? = nil,
        state: ConntrackState = .new, packetType: PacketType? = .unicast,
        sourceAddressTypes: AddressTypes? = nil, destinationAddressTypes: AddressTypes? = nil,
        mark: UInt32? = 0, sourceMAC: String? = nil, isFragment: Bool = false, routingHeaderType: UInt8? = nil
    ) {
        self.source = source
        self.destination = destination
        self.protocolNumber = protocolNumber
        self.inInterface = inInterface
        self.outInterface = outInterface
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.tcpFlags = tcpFlags
        self.icmpType = icmpType
        self.icmpCode = icmpCode
        self.state = state
        self.packetType = packetType
        self.sourceAddressTypes = sourceAddressTypes
        self.destinationAddressTypes = destinationAddressTypes
        self.mark = mark
        self.sourceMAC = sourceMAC
        self.isFragment = isFragment
        self.routingHeaderType = routingHeaderType
    }

    public var family: IPFamily {
        if case .v6 = source { return .ipv6 }
        return .ipv4
    }

    /// A TCP packet; a NEW connection's first packet carries SYN alone, later ones ACK.
    public static func tcp(from source: IPAddress, to destination: IPAddress, sourcePort: UInt16 = 40000, port: UInt16,
                           in inInterface: String? = nil, out outInterface: String? = nil, state: ConntrackState = .new) -> Packet {
        Packet(source: source, destination: destination, protocolNumber: IPProtocolNumber.tcp, inInterface: inInterface,
               outInterface: outInterface, sourcePort: sourcePort, destinationPort: port,
               tcpFlags: state == .new ? [.syn] : [.ack], state: state)
    }

    /// A UDP datagram.
    public static func udp(from source: IPAddress, to destination: IPAddress, sourcePort: UInt16 = 40000, port: UInt16,
                           in inInterface: String? = nil, out outInterface: String? = nil, state: ConntrackState = .new) -> Packet {
        Packet(source: source, destination: destination, protocolNumber: IPProtocolNumber.udp, inInterface: inInterface,
               outInterface: outInterface, sourcePort: sourcePort, destinationPort: port, state: state)
    }

    /// An ICMP (IPv4) or ICMPv6 message, by the family of the addresses.
    public static func icmp(from source: IPAddress, to destination: IPAddress, type: UInt8, code: UInt8 = 0,
                            in inInterface: String? = nil, out outInterface: String? = nil, state: ConntrackState = .new) -> Packet {
        let number = if case .v6 = source { IPProtocolNumber.icmpv6 } else { IPProtocolNumber.icmp }
        return Packet(source: source, destination: destination, protocolNumber: number, inInterface: inInterface,
                      outInterface: outInterface, icmpType: type, icmpCode: code, state: state)
    }
}

/// A netfilter hook; decides which interfaces exist for `-i`/`-o`.
public enum Hook: String, Hashable, Sendable {
    case prerouting = "PREROUTING"
    case input = "INPUT"
    case forward = "FORWARD"
    case output = "OUTPUT"
    case postrouting = "POSTROUTING"

    var hasInInterface: Bool { self == .prerouting || self == .input || self == .forward }
    var hasOutInterface: Bool { self == .forward || self == .output || self == .postrouting }
}

/// The way a packet takes through the host, and so the hooks and tables it meets in kernel order.
public enum PacketPath: String, Hashable, Sendable {
    /// Addressed to this host.
    case input
    /// Routed through this host.
    case forward
    /// Sent by this host.
    case output

    /// (table, chain) in the order the kernel runs them (raw, mangle, nat, filter, security per hook).
    public var traversal: [(table: String, chain: String)] {
        switch self {
        case .input:
            [("raw", "PREROUTING"), ("mangle", "PREROUTING"), ("nat", "PREROUTING"),
             ("mangle", "INPUT"), ("filter", "INPUT"), ("security", "INPUT"), ("nat", "INPUT")]
        case .forward:
            [("raw", "PREROUTING"), ("mangle", "PREROUTING"), ("nat", "PREROUTING"),
             ("mangle", "FORWARD"), ("filter", "FORWARD"), ("security", "FORWARD"),
             ("mangle", "POSTROUTING"), ("nat", "POSTROUTING")]
        case .output:
            [("raw", "OUTPUT"), ("mangle", "OUTPUT"), ("nat", "OUTPUT"), ("filter", "OUTPUT"), ("security", "OUTPUT"),
             ("mangle", "POSTROUTING"), ("nat", "POSTROUTING")]
        }
    }
}
