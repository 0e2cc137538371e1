import GatewayBase

/// One condition of a rule on its own (`-i bat0`, `--dport 53`), so a near miss can name the one that failed.
///
/// A rule's matches are the conjunction of their fields: each field is a match of the same kind holding only that
/// condition, and the rule matches exactly when every field does.
public struct MatchField: Hashable, Sendable {
    /// The option as iptables writes it: `-i`, `--dport`, `--ctstate`, or `-m limit` for a module kept raw.
    public var option: String
    /// The match holding this condition alone.
    public var match: RuleMatch

    public init(_ option: String, _ match: RuleMatch) {
        self.option = option
        self.match = match
    }

    /// The condition as written (`-i bat0`, `! --dport 1024:65535`), without the `-m NAME` that loads its module.
    public var text: String {
        var words = RulesetPrinter.words(match)
        if !option.hasPrefix("-m "), words.count > 2, words[0] == "-m" { words.removeFirst(2) }
        return words.joined(separator: " ")
    }
}

extension RuleMatch {
    /// The conditions of this match one by one; a comment has none, a match with no options is one (`-m tcp`).
    public var fields: [MatchField] {
        switch self {
        case .source: return [MatchField("-s", self)]
        case .destination: return [MatchField("-d", self)]
        case .inInterface: return [MatchField("-i", self)]
        case .outInterface: return [MatchField("-o", self)]
        case .protocol: return [MatchField("-p", self)]
        case .fragment: return [MatchField("-f", self)]
        case .comment: return []
        case .state: return [MatchField("--state", self)]
        case .packetType: return [MatchField("--pkt-type", self)]
        case .icmp(let match): return [MatchField(match.family == .ipv4 ? "--icmp-type" : "--icmpv6-type", self)]
        case .mark: return [MatchField("--mark", self)]
        case .mac: return [MatchField("--mac-source", self)]
        case .module(let match): return [MatchField("-m \(match.name)", self)]
        case .multiport(let match):
            let option = switch match.direction {
            case .source: "--sports"
            case .destination: "--dports"
            case .either: "--ports"
            }
            return [MatchField(option, self)]
        case .transport(let match):
            let name = match.protocolName
            var fields: [MatchField] = []
            if let port = match.sourcePort { fields.append(MatchField("--sport", .transport(TransportMatch(protocolName: name, sourcePort: port)))) }
            if let port = match.destinationPort { fields.append(MatchField("--dport", .transport(TransportMatch(protocolName: name, destinationPort: port)))) }
            if let flags = match.tcpFlags { fields.append(MatchField("--tcp-flags", .transport(TransportMatch(protocolName: name, tcpFlags: flags)))) }
            fields += match.extra.map { MatchField("--\($0.name)", .transport(TransportMatch(protocolName: name, extra: [$0]))) }
            return fields.isEmpty ? [MatchField("-m \(name)", self)] : fields
        case .conntrack(let match):
            var fields = match.state.map { [MatchField("--ctstate", .conntrack(ConntrackMatch(state: $0)))] } ?? []
            fields += match.extra.map { MatchField("--\($0.name)", .conntrack(ConntrackMatch(state: nil, extra: [$0]))) }
            return fields.isEmpty ? [MatchField("-m conntrack", self)] : fields
        case .addressType(let match):
            var fields: [MatchField] = []
            if let types = match.source {
                fields.append(MatchField("--src-type", .addressType(AddressTypeMatch(source: types, sourceNegated: match.sourceNegated,
                    limitToInInterface: match.limitToInInterface, limitToOutInterface: match.limitToOutInterface))))
            }
            if let types = match.destination {
                fields.append(MatchField("--dst-type", .addressType(AddressTypeMatch(destination: types, destinationNegated: match.destinationNegated,
                    limitToInInterface: match.limitToInInterface, limitToOutInterface: match.limitToOutInterface))))
            }
            return fields.isEmpty ? [MatchField("-m addrtype", self)] : fields
        case .routingHeader(let match):
            var fields = match.type.map { [MatchField("--rt-type", .routingHeader(RoutingHeaderMatch(type: $0, typeNegated: match.typeNegated)))] } ?? []
            fields += match.extra.map { MatchField("--\($0.name)", .routingHeader(RoutingHeaderMatch(type: nil, extra: [$0]))) }
            return fields.isEmpty ? [MatchField("-m rt", self)] : fields
        case .addressRange(let match):
            var fields: [MatchField] = []
            if let range = match.source { fields.append(MatchField("--src-range", .addressRange(AddressRangeMatch(source: range)))) }
            if let range = match.destination { fields.append(MatchField("--dst-range", .addressRange(AddressRangeMatch(destination: range)))) }
            return fields.isEmpty ? [MatchField("-m iprange", self)] : fields
        }
    }
}

extension Packet {
    /// What this packet has for a field's option (`br-ffx` for `-i`), nil where the packet does not say or the field is no packet value.
    func value(for option: String) -> String? {
        switch option {
        case "-i": inInterface
        case "-o": outInterface
        case "-s", "--src-range": "\(source)"
        case "-d", "--dst-range": "\(destination)"
        case "-p": RulesetPrinter.protocolText(protocolNumber)
        case "--sport", "--sports": sourcePort.map(String.init)
        case "--dport", "--dports": destinationPort.map(String.init)
        case "--ports": [sourcePort, destinationPort].compactMap { $0.map(String.init) }.joined(separator: "→")
        case "--ctstate", "--state": state.rawValue
        case "--tcp-flags": tcpFlags?.listing
        case "--icmp-type", "--icmpv6-type": icmpType.map { type in icmpCode.map { "\(type)/\($0)" } ?? String(type) }
        case "--pkt-type": packetType?.rawValue
        case "--src-type": sourceAddressTypes?.listing
        case "--dst-type": destinationAddressTypes?.listing
        case "--mark": mark.map { "0x" + String($0, radix: 16) }
        case "--mac-source": sourceMAC
        default: nil
        }
    }
}
