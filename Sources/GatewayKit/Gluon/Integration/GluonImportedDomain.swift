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
                return (nil, .placeholder(YAMLWriter.scalar(text), why: "\(at(["prefix4"])): '\(text)' is not an IPv4 prefix"))
            }
            if IPv4Network(text, strict: true) == nil { notes.append("note: \(at(["prefix4"])): prefix4 '\(text)' has host bits set; imported as \(network)") }
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
            domain.nextNode.ip4.map { text in ip4.map { .value($0.description) } ?? .placeholder(YAMLWriter.scalar(text), why: "\(at(["next_node", "ip4"])): '\(text)' is not an IPv4 address") },
            domain.nextNode.ip6.map { text in ip6.map { .value(YAMLWriter.scalar($0.description)) } ?? .placeholder(YAMLWriter.scalar(text), why: "\(at(["next_node", "ip6"])): '\(text)' is not an IPv6 address") },
            domain.nextNode.mac.map { text in NextNode.isMACAddress(text) ? .value(YAMLWriter.scalar(text.lowercased())) : .placeholder(YAMLWriter.scalar(text), why: "\(at(["next_node", "mac"])): '\(text)' is not a MAC address") },
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

/// What the firmware tells nodes of one domain, in site-file form.
struct GluonImportedFirmware: Equatable {
    var ntpServers: ImportedValue?
    var dnsServers: ImportedValue?
    var backboneLimit: Int?

    init(ntpServers: ImportedValue? = nil, dnsServers: ImportedValue? = nil, backboneLimit: Int? = nil) {
        self.ntpServers = ntpServers
        self.dnsServers = dnsServers
        self.backboneLimit = backboneLimit
    }

    init(_ domain: GluonDomain, location: ([LuaKey]) -> String) {
        if !domain.ntpServers.isEmpty {
            let bad = domain.ntpServers.first { IPAddress($0) == nil && !Self.isHostName($0) }
            ntpServers = bad.map { .placeholder(YAMLWriter.flowList(domain.ntpServers), why: "\(location(["ntp_servers"])): '\($0)' is neither an address nor a host name") }
                ?? .value(YAMLWriter.flowList(domain.ntpServers))
        }
        if !domain.dnsServers.isEmpty {
            let bad = domain.dnsServers.first { IPAddress($0) == nil }
            dnsServers = bad.map { .placeholder(YAMLWriter.flowList(domain.dnsServers), why: "\(location(["dns", "servers"])): '\($0)' is not an IP address") }
                ?? .value(YAMLWriter.flowList(domain.dnsServers.map { IPAddress($0)!.description }))
        }
        backboneLimit = domain.meshVPN.fastd.flatMap(Self.limit)
    }

    /// The limit of the group nodes take their gateways from: the first holding peers, else `backbone`.
    static func limit(of fastd: GluonFastd) -> Int? { limitGroup(of: fastd)?.group.limit }

    /// That group and its key path below the fastd table, so `gluon check` can point at its `limit`.
    static func limitGroup(of fastd: GluonFastd) -> (group: GluonPeerGroup<GluonFastdPeer>, path: [LuaKey])? {
        func firstWithPeers(_ groups: [GluonPeerGroup<GluonFastdPeer>], path: [LuaKey]) -> (GluonPeerGroup<GluonFastdPeer>, [LuaKey])? {
            for group in groups {
                let groupPath = path + ["groups", .string(group.name)]
                if !group.peers.isEmpty { return (group, groupPath) }
                if let inner = firstWithPeers(group.groups, path: groupPath) { return inner }
            }
            return nil
        }
        if let found = firstWithPeers(fastd.groups, path: fastd.tablePath) { return found }
        guard let backbone = fastd.groups.first(where: { $0.name == "backbone" }) else { return nil }
        return (backbone, fastd.tablePath + ["groups", "backbone"])
    }

    static func isHostName(_ text: String) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        return !text.isEmpty && text.count <= 253 && labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.allSatisfy { ($0.isLetter && $0.isASCII) || $0.isASCIIDigit || $0 == "-" }
        }
    }

    var isEmpty: Bool { ntpServers == nil && dnsServers == nil && backboneLimit == nil }

    /// Field by field, the value every domain has (nil where they differ).
    static func shared(_ all: [GluonImportedFirmware]) -> GluonImportedFirmware {
        guard let first = all.first else { return GluonImportedFirmware() }
        return GluonImportedFirmware(
            ntpServers: all.allSatisfy { $0.ntpServers == first.ntpServers } ? first.ntpServers : nil,
            dnsServers: all.allSatisfy { $0.dnsServers == first.dnsServers } ? first.dnsServers : nil,
            backboneLimit: all.allSatisfy { $0.backboneLimit == first.backboneLimit } ? first.backboneLimit : nil)
    }

    /// What this domain must say itself because the site-wide value is not its own.
    func without(_ shared: GluonImportedFirmware) -> GluonImportedFirmware {
        GluonImportedFirmware(ntpServers: ntpServers == shared.ntpServers ? nil : ntpServers,
                              dnsServers: dnsServers == shared.dnsServers ? nil : dnsServers,
                              backboneLimit: backboneLimit == shared.backboneLimit ? nil : backboneLimit)
    }
}

/// A gateway as the firmware knows it: one fastd peer name, possibly in several domains.
struct GluonImportedGateway {
    struct Membership {
        let domainCode: String
        let peer: GluonFastdPeer
    }

    let peerName: String
    let name: String
    var memberships: [Membership]

    /// The host of the first remote that can be read, in domain order.
    var publicHost: String? { memberships.lazy.flatMap(\.peer.remotes).compactMap(\.remote?.host).first }
    var unreadableRemote: String? { memberships.lazy.flatMap(\.peer.remotes).first?.text }

    /// One gateway per peer name across all fastd domains, in order of first appearance.
    static func union(of domains: [GluonDomain]) -> [GluonImportedGateway] {
        var gateways: [GluonImportedGateway] = []
        var index: [String: Int] = [:]
        var names: Set<String> = []
        for domain in domains {
            for peer in domain.meshVPN.fastd?.allPeers ?? [] {
                let membership = Membership(domainCode: domain.code, peer: peer)
                if let position = index[peer.name] {
                    gateways[position].memberships.append(membership)
                    continue
                }
                let base = GluonNames.gatewayName(forPeer: peer.name)
                var name = base
                var counter = 2
                while names.contains(name) { name = base + "-" + String(counter); counter += 1 }
                names.insert(name)
                index[peer.name] = gateways.count
                gateways.append(GluonImportedGateway(peerName: peer.name, name: name, memberships: [membership]))
            }
        }
        return gateways
    }
}
