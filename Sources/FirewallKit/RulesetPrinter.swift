/// Prints a ruleset in iptables-restore format: the normalised form used for drift comparison and round trips.
public enum RulesetPrinter {
    public static func print(_ ruleset: Ruleset) -> String {
        var out = ""
        for table in ruleset.tables {
            out += "*\(table.name)\n"
            for chain in table.chains {
                out += ":\(chain.name) \(chain.policy?.rawValue ?? "-")"
                if let counters = chain.counters { out += " \(counters)" }
                out += "\n"
            }
            for chain in table.chains {
                for rule in chain.rules {
                    out += line(rule)
                    out += "\n"
                }
            }
            out += "COMMIT\n"
        }
        return out
    }

    /// One rule as `-A CHAIN …`, matches in their parsed order, target last.
    public static func line(_ rule: Rule) -> String {
        var words: [String] = []
        if let counters = rule.counters { words.append(counters.description) }
        words += ["-A", rule.chain]
        for match in rule.matches { append(match, to: &words) }
        if let target = rule.target { append(target, to: &words) }
        return words.joined(separator: " ")
    }

    /// One match as its words (`-m udp --dport 53`), for messages that quote a single condition.
    static func words(_ match: RuleMatch) -> [String] {
        var words: [String] = []
        append(match, to: &words)
        return words
    }

    private static func append(_ match: RuleMatch, to words: inout [String]) {
        func negate(_ negated: Bool) { if negated { words.append("!") } }
        switch match {
        case .source(let address):
            negate(address.negated)
            words += ["-s", address.network.description]
        case .destination(let address):
            negate(address.negated)
            words += ["-d", address.network.description]
        case .inInterface(let interface):
            negate(interface.negated)
            words += ["-i", interface.name]
        case .outInterface(let interface):
            negate(interface.negated)
            words += ["-o", interface.name]
        case .protocol(let proto):
            negate(proto.negated)
            words += ["-p", protocolText(proto.number)]
        case .fragment(let negated):
            negate(negated)
            words.append("-f")
        case .transport(let transport):
            words += ["-m", transport.protocolName]
            if let port = transport.sourcePort {
                negate(port.negated)
                words += ["--sport", rangeText(port.range)]
            }
            if let port = transport.destinationPort {
                negate(port.negated)
                words += ["--dport", rangeText(port.range)]
            }
            if let flags = transport.tcpFlags {
                negate(flags.negated)
                words += ["--tcp-flags", flags.mask.listing, flags.compare.listing]
            }
            append(transport.extra, to: &words)
        case .multiport(let multiport):
            words += ["-m", "multiport"]
            negate(multiport.negated)
            let option = switch multiport.direction {
            case .source: "--sports"
            case .destination: "--dports"
            case .either: "--ports"
            }
            words += [option, multiport.ports.map(rangeText).joined(separator: ",")]
        case .conntrack(let conntrack):
            words += ["-m", "conntrack"]
            if let state = conntrack.state {
                negate(state.negated)
                words += ["--ctstate", state.states.listing]
            }
            append(conntrack.extra, to: &words)
        case .state(let state):
            words += ["-m", "state"]
            negate(state.negated)
            words += ["--state", state.states.listing]
        case .packetType(let type):
            words += ["-m", "pkttype"]
            negate(type.negated)
            words += ["--pkt-type", type.type.rawValue]
        case .addressType(let addrtype):
            words += ["-m", "addrtype"]
            if let source = addrtype.source {
                negate(addrtype.sourceNegated)
                words += ["--src-type", source.listing]
            }
            if let destination = addrtype.destination {
                negate(addrtype.destinationNegated)
                words += ["--dst-type", destination.listing]
            }
            if addrtype.limitToInInterface { words.append("--limit-iface-in") }
            if addrtype.limitToOutInterface { words.append("--limit-iface-out") }
        case .icmp(let icmp):
            words += ["-m", icmp.family == .ipv4 ? "icmp" : "icmp6"]
            negate(icmp.negated)
            words += [icmp.family == .ipv4 ? "--icmp-type" : "--icmpv6-type", icmpText(icmp)]
        case .mark(let mark):
            words += ["-m", "mark"]
            negate(mark.negated)
            words += ["--mark", markText(mark.value, mark.mask, alwaysMask: false)]
        case .comment(let text):
            words += ["-m", "comment", "--comment", quoted(text)]
        case .mac(let mac):
            words += ["-m", "mac"]
            negate(mac.negated)
            words += ["--mac-source", mac.address]
        case .routingHeader(let rt):
            words += ["-m", "rt"]
            if let type = rt.type {
                negate(rt.typeNegated)
                words += ["--rt-type", String(type)]
            }
            append(rt.extra, to: &words)
        case .addressRange(let range):
            words += ["-m", "iprange"]
            if let source = range.source {
                negate(source.negated)
                words += ["--src-range", source.description]
            }
            if let destination = range.destination {
                negate(destination.negated)
                words += ["--dst-range", destination.description]
            }
        case .module(let module):
            words += ["-m", module.name]
            append(module.options, to: &words)
        }
    }

    private static func append(_ target: RuleTarget, to words: inout [String]) {
        switch target {
        case .goto(let chain):
            words += ["-g", chain]
            return
        default:
            words += ["-j", target.name]
        }
        switch target {
        case .reject(let with):
            if let with { words += ["--reject-with", with] }
        case .masquerade(let options), .other(_, let options):
            append(options, to: &words)
        case .sourceNAT(let to, let options):
            words += ["--to-source", to]
            append(options, to: &words)
        case .destinationNAT(let to, let options):
            words += ["--to-destination", to]
            append(options, to: &words)
        case .clampMSS(.toPathMTU):
            words.append("--clamp-mss-to-pmtu")
        case .clampMSS(.fixed(let mss)):
            words += ["--set-mss", String(mss)]
        case .setMark(let value, let mask):
            words += ["--set-xmark", markText(value, mask, alwaysMask: true)]
        case .notrack(let name):
            if name == "CT" { words.append("--notrack") }
        case .accept, .drop, .returnFromChain, .jump, .goto:
            break
        }
    }

    private static func append(_ options: [ExtensionOption], to words: inout [String]) {
        for option in options {
            if option.negated { words.append("!") }
            words.append("--" + option.name)
            // iptables-save always quotes log prefixes; matching it keeps printed files diffable against live dumps.
            let alwaysQuoted = option.name == "log-prefix" || option.name == "nflog-prefix"
            words += option.values.map { alwaysQuoted ? quoted($0, always: true) : quoted($0) }
        }
    }

    static func protocolText(_ number: UInt8?) -> String {
        guard let number else { return "all" }
        return KnownNames.protocolName(number) ?? String(number)
    }

    static func rangeText(_ range: ClosedRange<UInt16>) -> String {
        range.lowerBound == range.upperBound ? String(range.lowerBound) : "\(range.lowerBound):\(range.upperBound)"
    }

    static func icmpText(_ icmp: ICMPTypeMatch) -> String {
        guard let type = icmp.type else { return "any" }
        if icmp.codes == 0...255 { return String(type) }
        if icmp.codes.lowerBound == icmp.codes.upperBound { return "\(type)/\(icmp.codes.lowerBound)" }
        return "\(type)/\(icmp.codes.lowerBound)"
    }

    static func markText(_ value: UInt32, _ mask: UInt32, alwaysMask: Bool) -> String {
        let hexValue = "0x" + String(value, radix: 16)
        if mask == .max && !alwaysMask { return hexValue }
        return hexValue + "/0x" + String(mask, radix: 16)
    }

    /// Quotes a value only when iptables-restore would otherwise split or misread it.
    static func quoted(_ value: String, always: Bool = false) -> String {
        let needsQuotes = always || value.isEmpty || value.hasPrefix("-") || value == "!"
            || value.contains(where: { $0 == " " || $0 == "\t" || $0 == "\"" || $0 == "'" || $0 == "\\" || $0 == "#" })
        guard needsQuotes else { return value }
        var escaped = "\""
        for character in value {
            if character == "\"" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped + "\""
    }
}
