import GatewayBase

/// Reads the gateway-relevant settings of one domain from its merged table.
struct GluonDomainExtractor {
    var warnings: [Diagnostic] = []

    mutating func extract(code: String, names: [GluonDomainName], config: LuaTable, file: String) throws(GluonSiteError) -> GluonDomain {
        let root = GluonFieldReader(config, file: file)
        guard let prefix6 = try root.string("prefix6") else {
            throw root.missing("prefix6", why: "Gluon needs the mesh's IPv6 prefix (in site.conf or the domain file)")
        }
        let nextNode = try root.table("next_node")
        let meshVPN = try root.table("mesh_vpn")
        let fastd = try fastd(root: root, meshVPN: meshVPN)
        // gwsetup serves WireGuard, so what it cannot read there stops the import at its position, as in fastd.
        let wireguard = try self.wireguard(meshVPN: meshVPN)
        return GluonDomain(
            code: code,
            names: names,
            domainSeed: try root.string("domain_seed"),
            prefix4: try root.string("prefix4"),
            prefix6: prefix6,
            extraPrefixes6: unused("extra_prefixes6") { () throws(GluonSiteError) in try root.stringList("extra_prefixes6") } ?? [],
            nextNode: GluonNextNode(
                ip4: try nextNode?.string("ip4"),
                ip6: try nextNode?.string("ip6"),
                mac: try nextNode?.string("mac"),
                names: unused("next_node.name") { () throws(GluonSiteError) in try nextNode?.stringList("name") } ?? []
            ),
            ntpServers: try root.stringList("ntp_servers") ?? [],
            dnsServers: try root.table("dns")?.stringList("servers") ?? [],
            routingAlgorithm: try root.table("mesh")?.table("batman_adv")?.string("routing_algo"),
            meshVPN: GluonMeshVPN(
                fastd: fastd,
                wireguard: wireguard
            ),
            config: config
        )
    }

    /// A section gwsetup does not use cannot stop an import Gluon would build: a wrong type there is a warning.
    private mutating func unused<Value>(_ section: String, _ read: () throws(GluonSiteError) -> Value?) -> Value? {
        do {
            return try read()
        } catch {
            skipUnused(section, error)
            return nil
        }
    }

    private mutating func skipUnused(_ section: String, _ error: GluonSiteError) {
        warnings.append(Diagnostic.warning(location: error.location,
                                           message: "\(error.message); gwsetup does not use \(section), so it was skipped (Gluon's own site check decides whether the firmware builds with it)"))
    }

    private mutating func fastd(root: GluonFieldReader, meshVPN: GluonFieldReader?) throws(GluonSiteError) -> GluonFastd? {
        if let current = try meshVPN?.table("fastd") {
            let legacy = unused("fastd_mesh_vpn") { () throws(GluonSiteError) in try root.table("fastd_mesh_vpn") }
            if legacy != nil {
                warnings.append(Diagnostic.warning(location: root.location("fastd_mesh_vpn"),
                                                message: "fastd_mesh_vpn (Gluon ≤2016) is ignored because mesh_vpn.fastd is set"))
            }
            var mtu = try current.integer("mtu").map { GluonMTU(value: $0, layout: .meshVPNFastd, location: current.location("mtu")) }
            if let shared = try meshVPN?.integer("mtu") {
                if let specific = mtu, specific.value != shared {
                    warnings.append(Diagnostic.warning(location: meshVPN?.location("mtu"),
                                                    message: "mesh_vpn.mtu \(shared) is overridden by mesh_vpn.fastd.mtu \(specific.value)"))
                }
                mtu = mtu ?? GluonMTU(value: shared, layout: .meshVPN, location: meshVPN?.location("mtu"))
            }
            return GluonFastd(tablePath: ["mesh_vpn", "fastd"], mtu: mtu, methods: try current.stringList("methods") ?? [],
                              groups: try fastdGroups(in: current, allowLegacyBackbone: false))
        }
        guard let legacy = try root.table("fastd_mesh_vpn") else { return nil }
        let mtu = try legacy.integer("mtu").map { GluonMTU(value: $0, layout: .fastdMeshVPN, location: legacy.location("mtu")) }
        return GluonFastd(tablePath: ["fastd_mesh_vpn"], mtu: mtu, methods: try legacy.stringList("methods") ?? [],
                          groups: try fastdGroups(in: legacy, allowLegacyBackbone: true))
    }

    /// Peer groups under `groups`; Gluon 2014/2015 sites put a single `backbone` group directly into `fastd_mesh_vpn`.
    private mutating func fastdGroups(in fastd: GluonFieldReader, allowLegacyBackbone: Bool) throws(GluonSiteError) -> [GluonPeerGroup<GluonFastdPeer>] {
        if allowLegacyBackbone, try fastd.table("groups") == nil, let backbone = try fastd.table("backbone") {
            return [try group(named: "backbone", backbone, peer: Self.fastdPeer)]
        }
        return try groups(in: fastd, peer: Self.fastdPeer)
    }

    private mutating func groups<Peer>(
        in parent: GluonFieldReader,
        peer: (inout GluonDomainExtractor, LuaKey, GluonFieldReader) throws(GluonSiteError) -> Peer
    ) throws(GluonSiteError) -> [GluonPeerGroup<Peer>] {
        var result: [GluonPeerGroup<Peer>] = []
        for (name, reader) in try parent.namedTables("groups") {
            result.append(try group(named: name.description, reader, peer: peer))
        }
        return result
    }

    private mutating func group<Peer>(
        named name: String, _ reader: GluonFieldReader,
        peer: (inout GluonDomainExtractor, LuaKey, GluonFieldReader) throws(GluonSiteError) -> Peer
    ) throws(GluonSiteError) -> GluonPeerGroup<Peer> {
        var peers: [Peer] = []
        for (peerName, peerReader) in try reader.namedTables("peers") {
            peers.append(try peer(&self, peerName, peerReader))
        }
        return GluonPeerGroup(name: name, limit: try reader.integer("limit"), peers: peers,
                              groups: try groups(in: reader, peer: peer))
    }

    private static func fastdPeer(_ extractor: inout GluonDomainExtractor, _ name: LuaKey, _ reader: GluonFieldReader) throws(GluonSiteError) -> GluonFastdPeer {
        try extractor.readFastdPeer(name: name, reader: reader)
    }

    private mutating func readFastdPeer(name: LuaKey, reader: GluonFieldReader) throws(GluonSiteError) -> GluonFastdPeer {
        let texts = try reader.stringList("remotes") ?? []
        let remotesTable = try reader.table("remotes")?.table
        var remotes: [GluonRemoteEntry] = []
        for (index, text) in texts.enumerated() {
            let location = remotesTable?.location(forKey: .integer(index + 1))
            let parsed: Result<GluonRemote, GluonRemoteError>
            do {
                parsed = .success(try GluonRemote.parse(text))
            } catch {
                if error.isHostGrammar {
                    throw GluonSiteError(file: location?.file ?? reader.file, location: location, message: "peer \(Echo.inline(reader.path.dottedPath, limit: 200)): \(error)")
                }
                parsed = .failure(error)
                warnings.append(Diagnostic.warning(location: location, message: "peer \(Echo.inline(reader.path.dottedPath, limit: 200)): \(error)"))
            }
            remotes.append(GluonRemoteEntry(text: text, location: location, parsed: parsed))
        }
        return GluonFastdPeer(name: name.description, key: try reader.string("key"), remotes: remotes, keyLocation: reader.location("key"))
    }

    private mutating func wireguard(meshVPN: GluonFieldReader?) throws(GluonSiteError) -> GluonWireGuard? {
        guard let meshVPN, let wireguard = try meshVPN.table("wireguard") else { return nil }
        var mtu = try wireguard.integer("mtu").map { GluonMTU(value: $0, layout: .meshVPNWireGuard, location: wireguard.location("mtu")) }
        if mtu == nil, let shared = try meshVPN.integer("mtu") {
            mtu = GluonMTU(value: shared, layout: .meshVPN, location: meshVPN.location("mtu"))
        }
        var peers: [GluonWireGuardPeer] = []
        for (name, reader) in try wireguard.namedTables("peers") {
            peers.append(try Self.wireguardPeer(&self, name, reader))
        }
        return GluonWireGuard(enabled: try wireguard.boolean("enabled"), mtu: mtu, peers: peers,
                              groups: try groups(in: wireguard, peer: Self.wireguardPeer),
                              broker: try wireguard.string("broker"), brokerLocation: wireguard.location("broker"))
    }

    private static func wireguardPeer(_ extractor: inout GluonDomainExtractor, _ name: LuaKey, _ reader: GluonFieldReader) throws(GluonSiteError) -> GluonWireGuardPeer {
        let peerName: String? = if case .string(let text) = name { text } else { nil }
        let keyField: LuaKey = reader.table["public_key"] != nil ? "public_key" : reader.table["publickey"] != nil ? "publickey" : "key"
        let endpointField: LuaKey = reader.table["endpoint"] != nil ? "endpoint" : "remote"
        return GluonWireGuardPeer(name: peerName, publicKey: try reader.string(keyField, echo: false), endpoint: try reader.string(endpointField, echo: false),
                                  brokerPort: try reader.integer("broker_port"), linkAddress: try reader.string("link_address"),
                                  keyLocation: reader.location(keyField), endpointLocation: reader.location(endpointField),
                                  location: reader.location(keyField) ?? reader.location(endpointField))
    }
}
