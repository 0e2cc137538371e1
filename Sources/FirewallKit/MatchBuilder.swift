import GatewayBase

/// Types the options of one `-m` module; unmodelled modules stay raw so they are printed back unchanged.
enum MatchBuilder {
    typealias Failure = RuleParser.Failure
    typealias RawOption = RuleParser.RawOption

    /// The module `-p NAME --option` loads implicitly.
    static let implicitModule: [String: String] = [
        "tcp": "tcp", "udp": "udp", "udplite": "udplite", "sctp": "sctp", "dccp": "dccp",
        "icmp": "icmp", "ipv6-icmp": "icmp6",
    ]

    private static let portOptions: Set<String> = ["sport", "source-port", "dport", "destination-port"]

    /// Options each typed module accepts; modules not listed accept anything and stay raw.
    static let knownOptions: [String: Set<String>] = [
        "tcp": portOptions.union(["tcp-flags", "syn", "tcp-option"]),
        "udp": portOptions,
        "udplite": portOptions,
        "sctp": portOptions.union(["chunk-types"]),
        "dccp": portOptions.union(["dccp-types", "dccp-option"]),
        "multiport": ["ports", "dports", "sports", "destination-ports", "source-ports"],
        "conntrack": ["ctstate", "ctproto", "ctorigsrc", "ctorigdst", "ctreplsrc", "ctrepldst", "ctorigsrcport",
                      "ctorigdstport", "ctreplsrcport", "ctrepldstport", "ctstatus", "ctexpire", "ctdir"],
        "state": ["state"],
        "pkttype": ["pkt-type"],
        "addrtype": ["src-type", "dst-type", "limit-iface-in", "limit-iface-out"],
        "icmp": ["icmp-type"],
        "icmp6": ["icmpv6-type"],
        "mark": ["mark"],
        "comment": ["comment"],
        "mac": ["mac-source"],
        "rt": ["rt-type", "rt-segsleft", "rt-len", "rt-0-res", "rt-0-addrs", "rt-0-not-strict"],
        "iprange": ["src-range", "dst-range"],
    ]

    static func build(_ module: RuleParser.RawModule, family: IPFamily) throws(Failure) -> RuleMatch {
        var seen: Set<String> = []
        for option in module.options where !seen.insert(canonicalName(option.name)).inserted {
            throw Failure(column: option.column, message: "--\(option.name) given twice")
        }
        switch module.name {
        case "tcp", "udp", "udplite", "sctp", "dccp": return .transport(try transport(module))
        case "multiport": return .multiport(try multiport(module))
        case "conntrack":
            var match = ConntrackMatch(state: nil)
            for option in module.options {
                if option.name == "ctstate" {
                    match.state = StateMatch(try states(option), negated: option.negated)
                } else {
                    match.extra.append(option.extensionOption)
                }
            }
            return .conntrack(match)
        case "state":
            guard let option = module.options.first else { throw missing("--state", module) }
            return .state(StateMatch(try states(option), negated: option.negated))
        case "pkttype":
            guard let option = module.options.first else { throw missing("--pkt-type", module) }
            let value = try single(option)
            let name = value.text.lowercased() == "host" ? "unicast" : value.text.lowercased()
            guard let type = PacketType(rawValue: name) else {
                throw Failure(column: value.column, message: "unknown packet type '\(value.text)' (unicast, broadcast, multicast, otherhost)")
            }
            return .packetType(PacketTypeMatch(type, negated: option.negated))
        case "addrtype": return .addressType(try addressType(module))
        case "icmp", "icmp6":
            let expected: IPFamily = module.name == "icmp" ? .ipv4 : .ipv6
            guard expected == family else {
                throw Failure(column: module.column, message: "module \(module.name) is for \(expected == .ipv4 ? "IPv4; use icmp6" : "IPv6; use icmp") in an \(family == .ipv4 ? "IPv4" : "IPv6") ruleset")
            }
            guard let option = module.options.first else { throw missing(module.name == "icmp" ? "--icmp-type" : "--icmpv6-type", module) }
            return .icmp(try icmpType(option, family: family))
        case "mark":
            guard let option = module.options.first else { throw missing("--mark", module) }
            let value = try single(option)
            guard let (mark, mask) = parseMark(value.text) else {
                throw Failure(column: value.column, message: "bad mark '\(value.text)' (expected value[/mask])")
            }
            return .mark(MarkMatch(value: mark, mask: mask, negated: option.negated))
        case "comment":
            guard let option = module.options.first else { throw missing("--comment", module) }
            if option.negated { throw Failure(column: option.column, message: "a comment cannot be negated") }
            return .comment(try single(option).text)
        case "mac":
            guard let option = module.options.first else { throw missing("--mac-source", module) }
            let value = try single(option)
            guard isMAC(value.text) else { throw Failure(column: value.column, message: "bad MAC address '\(value.text)'") }
            return .mac(MACMatch(value.text, negated: option.negated))
        case "rt":
            var match = RoutingHeaderMatch(type: nil)
            for option in module.options {
                if option.name == "rt-type" {
                    let value = try single(option)
                    guard let type = UInt8(value.text) else { throw Failure(column: value.column, message: "bad routing header type '\(value.text)'") }
                    match.type = type
                    match.typeNegated = option.negated
                } else {
                    match.extra.append(option.extensionOption)
                }
            }
            return .routingHeader(match)
        case "iprange":
            var match = AddressRangeMatch()
            for option in module.options {
                let value = try single(option)
                let ends = value.text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
                guard ends.count == 2, let first = IPAddress(ends[0]), let last = IPAddress(ends[1]),
                      isFamily(first, family), isFamily(last, family) else {
                    throw Failure(column: value.column, message: "bad \(family == .ipv4 ? "IPv4" : "IPv6") range '\(value.text)' (expected FIRST-LAST)")
                }
                let range = AddressRange(first: first, last: last, negated: option.negated)
                if option.name == "src-range" { match.source = range } else { match.destination = range }
            }
            guard match.source != nil || match.destination != nil else { throw missing("--src-range or --dst-range", module) }
            return .addressRange(match)
        default:
            guard isModuleName(module.name) else {
                throw Failure(column: module.column, message: "bad module name '\(module.name)'")
            }
            return .module(ModuleMatch(name: module.name, options: module.options.map(\.extensionOption)))
        }
    }

    private static func canonicalName(_ name: String) -> String {
        switch name {
        case "source-port": "sport"
        case "destination-port": "dport"
        case "source-ports": "sports"
        case "destination-ports": "dports"
        default: name
        }
    }

    private static func missing(_ option: String, _ module: RuleParser.RawModule) -> Failure {
        Failure(column: module.column, message: "module \(module.name) needs \(option)")
    }

    private static func single(_ option: RawOption) throws(Failure) -> RuleToken {
        guard option.values.count == 1 else {
            throw Failure(column: option.column, message: "--\(option.name) needs exactly one value, got \(option.values.count)")
        }
        return option.values[0]
    }

    private static func transport(_ module: RuleParser.RawModule) throws(Failure) -> TransportMatch {
        var match = TransportMatch(protocolName: module.name)
        for option in module.options {
            switch canonicalName(option.name) {
            case "sport":
                match.sourcePort = PortMatch(try portRange(try single(option)), negated: option.negated)
            case "dport":
                match.destinationPort = PortMatch(try portRange(try single(option)), negated: option.negated)
            case "tcp-flags":
                guard option.values.count == 2 else {
                    throw Failure(column: option.column, message: "--tcp-flags needs two lists (mask and set flags), e.g. SYN,RST SYN")
                }
                guard let mask = TCPFlags(listing: option.values[0].text) else {
                    throw Failure(column: option.values[0].column, message: "bad TCP flags '\(option.values[0].text)'")
                }
                guard let compare = TCPFlags(listing: option.values[1].text) else {
                    throw Failure(column: option.values[1].column, message: "bad TCP flags '\(option.values[1].text)'")
                }
                if match.tcpFlags != nil { throw Failure(column: option.column, message: "--tcp-flags and --syn together") }
                match.tcpFlags = TCPFlagsMatch(mask: mask, compare: compare, negated: option.negated)
            case "syn":
                if !option.values.isEmpty { throw Failure(column: option.values[0].column, message: "--syn takes no value") }
                if match.tcpFlags != nil { throw Failure(column: option.column, message: "--tcp-flags and --syn together") }
                var syn = TCPFlagsMatch.syn
                syn.negated = option.negated
                match.tcpFlags = syn
            default:
                match.extra.append(option.extensionOption)
            }
        }
        return match
    }

    private static func multiport(_ module: RuleParser.RawModule) throws(Failure) -> MultiportMatch {
        guard module.options.count == 1, let option = module.options.first else {
            throw Failure(column: module.column, message: "multiport needs exactly one of --dports, --sports, --ports")
        }
        let direction: MultiportMatch.Direction = switch canonicalName(option.name) {
        case "dports": .destination
        case "sports": .source
        default: .either
        }
        let value = try single(option)
        var ports: [ClosedRange<UInt16>] = []
        var column = value.column
        for part in value.text.split(separator: ",", omittingEmptySubsequences: false) {
            ports.append(try portRange(RuleToken(text: String(part), column: column, quoted: false)))
            column += part.count + 1
        }
        guard ports.count <= 15 else { throw Failure(column: value.column, message: "multiport takes at most 15 ports") }
        return MultiportMatch(direction, ports: ports, negated: option.negated)
    }

    /// `N`, `N:M`, `:M`, `N:` or a service name.
    static func portRange(_ token: RuleToken) throws(Failure) -> ClosedRange<UInt16> {
        func port(_ text: Substring, default fallback: UInt16) throws(Failure) -> UInt16 {
            if text.isEmpty { return fallback }
            if let number = UInt16(text) { return number }
            if let named = KnownNames.services[text.lowercased()] { return named }
            throw Failure(column: token.column, message: "bad port '\(text)'")
        }
        let parts = token.text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 1 {
            guard !parts[0].isEmpty else { throw Failure(column: token.column, message: "port missing") }
            let single = try port(parts[0], default: 0)
            return single...single
        }
        let low = try port(parts[0], default: 0)
        let high = try port(parts[1], default: .max)
        guard low <= high else { throw Failure(column: token.column, message: "port range '\(token.text)' runs backwards") }
        return low...high
    }

    private static func states(_ option: RawOption) throws(Failure) -> ConntrackStates {
        let value = try single(option)
        guard let states = ConntrackStates(listing: value.text), !states.isEmpty else {
            throw Failure(column: value.column, message: "bad state list '\(value.text)' (INVALID, NEW, RELATED, ESTABLISHED, UNTRACKED, SNAT, DNAT)")
        }
        if option.name == "state" && (states.contains(.snat) || states.contains(.dnat)) {
            throw Failure(column: value.column, message: "SNAT and DNAT are conntrack states; use -m conntrack --ctstate")
        }
        return states
    }

    private static func addressType(_ module: RuleParser.RawModule) throws(Failure) -> AddressTypeMatch {
        var match = AddressTypeMatch()
        for option in module.options {
            switch option.name {
            case "src-type", "dst-type":
                let value = try single(option)
                guard let types = AddressTypes(listing: value.text) else {
                    throw Failure(column: value.column, message: "bad address type list '\(value.text)'")
                }
                if option.name == "src-type" {
                    match.source = types
                    match.sourceNegated = option.negated
                } else {
                    match.destination = types
                    match.destinationNegated = option.negated
                }
            case "limit-iface-in": match.limitToInInterface = true
            default: match.limitToOutInterface = true
            }
        }
        if match.limitToInInterface && match.limitToOutInterface {
            throw Failure(column: module.column, message: "--limit-iface-in and --limit-iface-out exclude each other")
        }
        return match
    }

    private static func icmpType(_ option: RawOption, family: IPFamily) throws(Failure) -> ICMPTypeMatch {
        let value = try single(option)
        let names = family == .ipv4 ? KnownNames.icmpTypes : KnownNames.icmpv6Types
        if let (type, codes) = names[value.text] ?? names[value.text.lowercased()] {
            return ICMPTypeMatch(family: family, type: type, codes: codes, negated: option.negated)
        }
        let parts = value.text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let type = UInt8(parts[0]) else {
            throw Failure(column: value.column, message: "unknown ICMP\(family == .ipv6 ? "v6" : "") type '\(value.text)'")
        }
        if parts.count == 2 {
            guard let code = UInt8(parts[1]) else { throw Failure(column: value.column, message: "bad ICMP code in '\(value.text)'") }
            return ICMPTypeMatch(family: family, type: type, codes: code...code, negated: option.negated)
        }
        if family == .ipv4 && type == 255 { return ICMPTypeMatch(family: family, type: nil, negated: option.negated) }
        return ICMPTypeMatch(family: family, type: type, negated: option.negated)
    }

    /// `0x1`, `1`, `0x1/0xff`.
    static func parseMark(_ text: String) -> (UInt32, UInt32)? {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let value = parseNumber(parts[0]) else { return nil }
        guard parts.count == 2 else { return (value, .max) }
        guard let mask = parseNumber(parts[1]) else { return nil }
        return (value, mask)
    }

    static func parseNumber(_ text: Substring) -> UInt32? {
        if text.hasPrefix("0x") || text.hasPrefix("0X") { return UInt32(text.dropFirst(2), radix: 16) }
        return UInt32(text)
    }

    /// Published dumps redact MACs as `XX:XX:…`; those parse (and never decide a packet) instead of losing the file.
    private static func isMAC(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 6 && parts.allSatisfy { $0.count == 2 && $0.allSatisfy { $0.isHexDigit || $0 == "X" || $0 == "x" } }
    }

    private static func isFamily(_ address: IPAddress, _ family: IPFamily) -> Bool {
        switch address {
        case .v4: family == .ipv4
        case .v6: family == .ipv6
        }
    }

    private static func isModuleName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
    }
}
