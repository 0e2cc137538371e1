import GatewayBase
import GluonKit

/// One Gluon domain's values as the site file will hold them, each either usable or a placeholder with its reason.
struct GluonImportedDomain {
    let gluon: GluonDomain
    let code: String
    let prefix4: (network: IPv4Network?, yaml: ImportedValue)?
    let prefix6: (network: IPv6Network?, yaml: ImportedValue)
    let domainSeed: ImportedValue?
    /// ipv4, ipv6, mac.
    let nextNode: [ImportedValue?]
    let nextNodeIPv4: IPv4Address?
    let nextNodeIPv6: IPv6Address?
    let port: ImportedValue?
    let portValue: Int?
    let portComment: String?
    let firmware: GluonImportedFirmware
    let notes: [String]

    init(_ domain: GluonDomain) {
        gluon = domain
        code = GluonNames.identifier(for: domain.code)
        let config = domain.config
        func at(_ path: [LuaKey]) -> String { config.location(at: path)?.description ?? domain.code }
        var notes: [String] = []

        prefix4 = domain.prefix4.map { text in
            guard let network = IPv4Network(text, strict: false), text.contains("/") else {
                return (nil, .placeholder(YAMLWriter.scalar(text), why: "\(at(["prefix4"])): \(Echo.quoted(text)) is not an IPv4 prefix"))
            }
            if IPv4Network(text, strict: true) == nil { notes.append("note: \(at(["prefix4"])): prefix4 \(Echo.quoted(text)) has host bits set; imported as \(network)") }
            return (network, .value(network.description))
        }
        let text6 = domain.prefix6
        if let network = IPv6Network(text6, strict: false), text6.contains("/") {
            if IPv6Network(text6, strict: true) == nil { notes.append("note: \(at(["prefix6"])): prefix6 '\(text6)' has host bits set; imported as \(network)") }
            prefix6 = (network, .value(YAMLWriter.scalar(network.description)))
        } else {
            prefix6 = (nil, .placeholder(YAMLWriter.scalar(text6), why: "\(at(["prefix6"])): '\(text6)' is not an IPv6 prefix"))
        }
        domainSeed = domain.domainSeed.map { seed in
            HexKey.isValid(seed) ? .value(seed.lowercased())
                : .placeholder(YAMLWriter.scalar(seed), why: "\(at(["domain_seed"])): domain_seed is not 64 hex digits")
        }

        let ip4 = domain.nextNode.ip4.flatMap { IPv4Address($0) }
        let ip6 = domain.nextNode.ip6.flatMap { IPv6Address($0) }
        nextNodeIPv4 = ip4
        nextNodeIPv6 = ip6
        nextNode = [
            domain.nextNode.ip4.map { text in ip4.map { .value($0.description) } ?? .placeholder(YAMLWriter.scalar(text), why: "\(at(["next_node", "ip4"])): \(Echo.quoted(text)) is not an IPv4 address") },
            domain.nextNode.ip6.map { text in ip6.map { .value(YAMLWriter.scalar($0.description)) } ?? .placeholder(YAMLWriter.scalar(text), why: "\(at(["next_node", "ip6"])): \(Echo.quoted(text)) is not an IPv6 address") },
            domain.nextNode.mac.map { text in NextNode.isMACAddress(text) ? .value(YAMLWriter.scalar(text.lowercased())) : .placeholder(YAMLWriter.scalar(text), why: "\(at(["next_node", "mac"])): \(Echo.quoted(text)) is not a MAC address") },
        ]

        // One port per domain on the gateways: the one most of the firmware's remotes use.
        let peers = domain.meshVPN.fastd?.allPeers ?? []
        var counts: [Int: Int] = [:]
        for remote in peers.flatMap(\.remotes) { if let port = remote.remote?.port { counts[port, default: 0] += 1 } }
        let chosen = counts.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key
        portValue = chosen
        if let chosen {
            port = .value(String(chosen))
            portComment = counts.count > 1 ? "most used of the firmware's ports \(counts.keys.sorted().map(String.init).joined(separator: ", "))" : "from the firmware's remotes"
        } else if domain.meshVPN.fastd != nil {
            let sample = peers.flatMap(\.remotes).first
            port = .placeholder("PLACEHOLDER", why: sample.map { "\($0.location?.description ?? domain.code): no port can be read from remote '\($0.text)'" } ?? "the firmware lists no fastd remote for this domain")
            portComment = nil
        } else {
            port = nil
            portComment = nil
        }
        firmware = GluonImportedFirmware(domain, location: at)
        self.notes = notes
    }

    func comment(for path: [LuaKey]) -> String? { gluon.config.location(at: path)?.description }

    /// The i-th gateway's IPv4 bridge address: the prefix's first + 1 + i, skipping next_node's; nil without prefix4.
    func gatewayIPv4(index: Int) -> ImportedValue? {
        guard let prefix4 else { return nil }
        guard let network = prefix4.network else { return .placeholder("PLACEHOLDER", why: "prefix4 is a placeholder, so no address could be assigned") }
        var offset = Int64(index) + 1
        if let next = nextNodeIPv4, network.contains(next), Int64(next.value - network.first.value) <= offset { offset += 1 }
        guard offset < Int64(network.size) - 1, let address = network.first.advanced(by: offset) else {
            return .placeholder("PLACEHOLDER", why: "prefix4 \(network) has no room for gateway \(index + 1)")
        }
        return .value(address.description)
    }

    /// The i-th gateway's IPv6 bridge address: prefix6::(i + 1), skipping next_node's.
    func gatewayIPv6(index: Int) -> ImportedValue {
        guard let network = prefix6.network else { return .placeholder("PLACEHOLDER", why: "prefix6 is a placeholder, so no address could be assigned") }
        var offset = UInt64(index) + 1
        if let next = nextNodeIPv6, network.contains(next), next.high == network.address.high, next.low - network.address.low <= offset { offset += 1 }
        return .value(YAMLWriter.scalar(IPv6Address(high: network.address.high, low: network.address.low + offset).description))
    }
}
