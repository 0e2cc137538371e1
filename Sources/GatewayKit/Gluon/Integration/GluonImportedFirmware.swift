import GatewayBase
import GluonKit

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
            ntpServers = bad.map { .placeholder(YAMLWriter.flowList(domain.ntpServers), why: "\(location(["ntp_servers"])): \(Echo.quoted($0)) is neither an address nor a host name") }
                ?? .value(YAMLWriter.flowList(domain.ntpServers))
        }
        if !domain.dnsServers.isEmpty {
            let bad = domain.dnsServers.first { IPAddress($0) == nil }
            dnsServers = bad.map { .placeholder(YAMLWriter.flowList(domain.dnsServers), why: "\(location(["dns", "servers"])): \(Echo.quoted($0)) is not an IP address") }
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
