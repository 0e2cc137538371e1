import GatewayBase
import GluonKit

/// How export writes the firmware as the firmware had it: its generation's layout, its group tree,
/// its peer names and its remotes with every qualifier and fallback, the port set to what the gateway serves.
enum GluonExportShape {
    /// The name the firmware knows the gateway by: the kept Gluon name, else the gateway's name in Gluon's grammar.
    static func peerName(of gateway: Gateway) -> String {
        gateway.gluonPeer ?? String(gateway.name.map { $0 == "-" ? "_" : $0 })
    }

    /// The remotes nodes dial for this gateway in the domain: the firmware's own, in order, each on the served port;
    /// without kept remotes, one built from the node-facing host.
    /// With several fastd instances each remote is written once per port, in port order, so nodes spread over them.
    static func remotes(of gateway: Gateway, in domain: MeshDomain, host: String) -> [String] {
        let ports = servedPorts(of: gateway, in: domain)
        guard let kept = gateway.domain(domain.code)?.firmwareRemotes, !kept.isEmpty else {
            return ports.map { GluonExporter.remote(host: host, port: $0).description }
        }
        var written: [String] = []
        for remote in kept {
            for port in ports where !written.contains(onPort(remote, port)) { written.append(onPort(remote, port)) }
        }
        return written
    }

    /// The ports the gateway's fastd instances bind for the domain: its `fastd_port` or the domain's, and the next ones.
    static func servedPorts(of gateway: Gateway, in domain: MeshDomain) -> [Int] {
        domain.fastdInstances(on: gateway.domain(domain.code)).map(\.port)
    }

    /// The remote as written, with its port (the trailing digits of either spelling) replaced when it differs.
    static func onPort(_ text: String, _ port: Int) -> String {
        guard let remote = try? GluonRemote.parse(text), remote.port != port else { return text }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.reversed().prefix(while: \.isASCIIDigit).count
        return String(trimmed.dropLast(digits)) + String(port)
    }

    /// The groups of the domain in order, nested ones after their parent; without kept groups, one `backbone`.
    static func groups(for domain: MeshDomain, in site: Site, limit: Int) -> [FirmwarePeerGroup] {
        site.firmware(for: domain).peerGroups ?? [FirmwarePeerGroup(path: ["backbone"], limit: limit)]
    }

    /// The group a gateway's peer goes into: its own, else the first group (the one nodes take gateways from).
    static func groupPath(of gateway: Gateway, in domain: MeshDomain, groups: [FirmwarePeerGroup]) -> [String] {
        gateway.domain(domain.code)?.peerGroup ?? groups.first?.path ?? ["backbone"]
    }

    /// The `groups` table of a fastd section: every group with its limit and peers, nested as the paths say.
    static func groupsTable(_ groups: [FirmwarePeerGroup], peers: [[String]: LuaTable]) -> LuaTable {
        func build(parent: [String]) -> LuaTable {
            var table = LuaTable()
            for group in groups where group.path.count == parent.count + 1 && Array(group.path.dropLast()) == parent {
                var entry = LuaTable()
                if let limit = group.limit { entry.set(.integer(limit), forKey: "limit") }
                if let members = peers[group.path], !members.isEmpty { entry.set(.table(members), forKey: "peers") }
                let children = build(parent: group.path)
                if !children.isEmpty { entry.set(.table(children), forKey: "groups") }
                table.set(.table(entry), forKey: .string(group.path.last!))
            }
            return table
        }
        return build(parent: [])
    }

    /// Puts the fastd settings where the firmware's generation reads them.
    static func place(fastd: LuaTable, groups: LuaTable, mtu: Int, layout: GluonFirmwareLayout, into table: inout LuaTable) {
        var section = fastd
        switch layout {
        case .fastdMeshVPNBackbone:
            section.set(.integer(mtu), forKey: "mtu")
            if let backbone = groups["backbone"] {
                section.set(backbone, forKey: "backbone")
            } else {
                section.set(.table(groups), forKey: "groups")
            }
            table.set(.table(section), forKey: "fastd_mesh_vpn")
        case .fastdMeshVPNGroups:
            section.set(.integer(mtu), forKey: "mtu")
            section.set(.table(groups), forKey: "groups")
            table.set(.table(section), forKey: "fastd_mesh_vpn")
        case .meshVPNMTU:
            section.set(.table(groups), forKey: "groups")
            table.set(["mtu": .integer(mtu), "fastd": .table(section)], forKey: "mesh_vpn")
        case .meshVPNFastdMTU:
            var ordered = LuaTable()
            ordered.set(.integer(mtu), forKey: "mtu")
            for entry in section.entries { ordered.set(entry.value, forKey: entry.key) }
            ordered.set(.table(groups), forKey: "groups")
            table.set(["fastd": .table(ordered)], forKey: "mesh_vpn")
        }
    }

    /// `domain_names` and `hide_domain` of a domain file: the kept ones, else the domain's own code.
    static func names(of domain: MeshDomain, in site: Site, into table: inout LuaTable) {
        let settings = site.firmware(for: domain)
        var names = LuaTable()
        for name in settings.domainNames ?? [FirmwareDomainName(code: domain.code, displayName: domain.code)] {
            names.set(.string(name.displayName), forKey: .string(name.code))
        }
        table.set(.table(names), forKey: "domain_names")
        if let hidden = settings.hiddenDomainNames, !hidden.isEmpty {
            table.set(.table(LuaTable(array: hidden.map { .string($0) })), forKey: "hide_domain")
        }
    }
}
