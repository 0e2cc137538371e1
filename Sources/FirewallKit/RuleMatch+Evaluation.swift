/// A match's answer for one packet: yes, no, or unknown with the reason (a rate limit, a missing packet field…).
enum Truth: Hashable, Sendable {
    case yes
    case no
    case unknown(String)

    init(_ value: Bool) { self = value ? .yes : .no }
}

extension RuleMatch {
    /// Decides this match for `packet` at `hook` the way the kernel's match function would, or says why it cannot.
    func evaluate(_ packet: Packet, at hook: Hook) -> Truth {
        switch self {
        case .source(let match):
            return Truth(match.network.contains(packet.source) != match.negated)
        case .destination(let match):
            return Truth(match.network.contains(packet.destination) != match.negated)
        case .inInterface(let match):
            guard hook.hasInInterface else { return Truth(match.matches("")) }
            guard let name = packet.inInterface else { return .unknown("the packet's in-interface is not given") }
            return Truth(match.matches(name))
        case .outInterface(let match):
            guard hook.hasOutInterface else { return Truth(match.matches("")) }
            guard let name = packet.outInterface else { return .unknown("the packet's out-interface is not given") }
            return Truth(match.matches(name))
        case .protocol(let match):
            guard let number = match.number else { return Truth(!match.negated) }
            return Truth((packet.protocolNumber == number) != match.negated)
        case .fragment(let negated):
            return Truth(packet.isFragment != negated)
        case .transport(let match):
            return match.evaluate(packet)
        case .multiport(let match):
            return match.evaluate(packet)
        case .conntrack(let match):
            if let option = match.extra.first { return .unknown("conntrack --\(option.name) is not modelled") }
            guard let state = match.state else { return .yes }
            return state.evaluate(packet)
        case .state(let match):
            return match.evaluate(packet)
        case .packetType(let match):
            guard let type = packet.packetType else { return .unknown("the packet type is not given") }
            return Truth((type == match.type) != match.negated)
        case .addressType(let match):
            return match.evaluate(packet)
        case .icmp(let match):
            return match.evaluate(packet)
        case .mark(let match):
            guard let mark = packet.mark else { return .unknown("the packet mark is not known") }
            return Truth((mark & match.mask == match.value) != match.negated)
        case .comment:
            return .yes
        case .mac(let match):
            if match.isRedacted { return .unknown("the MAC address in the rule is redacted") }
            guard let mac = packet.sourceMAC else { return .unknown("the packet's source MAC is not given") }
            return Truth((mac.uppercased() == match.address) != match.negated)
        case .routingHeader(let match):
            guard let type = packet.routingHeaderType else { return .no }
            if let option = match.extra.first { return .unknown("rt --\(option.name) is not modelled") }
            guard let wanted = match.type else { return .yes }
            return Truth((type == wanted) != match.typeNegated)
        case .addressRange(let match):
            if let range = match.source, range.contains(packet.source) == range.negated { return .no }
            if let range = match.destination, range.contains(packet.destination) == range.negated { return .no }
            return .yes
        case .module(let match):
            // `-m recent --set` records the source and always matches; only --rcheck/--update/--remove consult the list.
            if match.name == "recent", let set = match.options.first(named: "set"),
               !match.options.contains(where: { ["rcheck", "update", "remove"].contains($0.name) }) {
                return Truth(!set.negated)
            }
            return .unknown("-m \(match.name) depends on more than the packet")
        }
    }
}

/// Protocols whose packets carry ports (tcp, udp, udplite, sctp, dccp).
private func hasPorts(_ number: UInt8) -> Bool {
    number == 6 || number == 17 || number == 136 || number == 132 || number == 33
}

extension TransportMatch {
    func evaluate(_ packet: Packet) -> Truth {
        guard packet.protocolNumber == protocolNumber, !packet.isFragment else { return .no }
        var unknown: String?
        if let port = sourcePort {
            if let value = packet.sourcePort {
                if port.range.contains(value) == port.negated { return .no }
            } else {
                unknown = "the packet's source port is not given"
            }
        }
        if let port = destinationPort {
            if let value = packet.destinationPort {
                if port.range.contains(value) == port.negated { return .no }
            } else {
                unknown = unknown ?? "the packet's destination port is not given"
            }
        }
        if let flags = tcpFlags {
            if let value = packet.tcpFlags {
                if (value.intersection(flags.mask) == flags.compare) == flags.negated { return .no }
            } else {
                unknown = unknown ?? "the packet's TCP flags are not given"
            }
        }
        if let option = extra.first { unknown = unknown ?? "\(protocolName) --\(option.name) is not modelled" }
        return unknown.map(Truth.unknown) ?? .yes
    }
}

extension MultiportMatch {
    func evaluate(_ packet: Packet) -> Truth {
        guard hasPorts(packet.protocolNumber), !packet.isFragment else { return .no }
        func hit(_ port: UInt16?) -> Bool? { port.map { value in ports.contains { $0.contains(value) } } }
        let result: Bool?
        switch direction {
        case .source: result = hit(packet.sourcePort)
        case .destination: result = hit(packet.destinationPort)
        case .either:
            let source = hit(packet.sourcePort)
            let destination = hit(packet.destinationPort)
            if source == true || destination == true {
                result = true
            } else if source == nil || destination == nil {
                result = nil
            } else {
                result = false
            }
        }
        guard let result else { return .unknown("the packet's ports are not given") }
        return Truth(result != negated)
    }
}

extension StateMatch {
    func evaluate(_ packet: Packet) -> Truth {
        if states.contains(packet.state.asSet) { return Truth(!negated) }
        if !states.isDisjoint(with: [.snat, .dnat]) {
            return .unknown("whether the connection was translated (SNAT/DNAT state) is not known")
        }
        return Truth(negated)
    }
}

extension AddressTypeMatch {
    func evaluate(_ packet: Packet) -> Truth {
        var unknown: String?
        if let wanted = source {
            if let types = packet.sourceAddressTypes {
                if types.isDisjoint(with: wanted) != sourceNegated { return .no }
            } else {
                unknown = "the source address type is not given"
            }
        }
        if let wanted = destination {
            if let types = packet.destinationAddressTypes {
                if types.isDisjoint(with: wanted) != destinationNegated { return .no }
            } else {
                unknown = unknown ?? "the destination address type is not given"
            }
        }
        return unknown.map(Truth.unknown) ?? .yes
    }
}

extension ICMPTypeMatch {
    func evaluate(_ packet: Packet) -> Truth {
        let number = family == .ipv4 ? IPProtocolNumber.icmp : IPProtocolNumber.icmpv6
        guard packet.protocolNumber == number, !packet.isFragment else { return .no }
        guard let wanted = type else { return Truth(!negated) }
        guard let actual = packet.icmpType else { return .unknown("the packet's ICMP type is not given") }
        if actual != wanted { return Truth(negated) }
        if codes == 0...255 { return Truth(!negated) }
        guard let code = packet.icmpCode else { return .unknown("the packet's ICMP code is not given") }
        return Truth(codes.contains(code) != negated)
    }
}
