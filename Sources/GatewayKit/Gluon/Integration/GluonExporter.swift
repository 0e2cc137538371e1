import GatewayBase
import GluonKit

/// One site.conf or domain file fragment, and the file it belongs in.
public struct GluonExportFragment: Sendable, Equatable {
    /// `site.conf` or `domains/<code>.conf`.
    public var file: String
    public var table: LuaTable
}

/// Everything that keeps `gluon export` from writing a complete fragment, all at once.
public struct GluonExportError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [String]
    public var description: String { problems.joined(separator: "\n") }
}

/// Writes what the firmware needs to reach these gateways; never invents a key.
public enum GluonExporter {
    /// Nodes connect to one gateway at a time unless the site says otherwise (Gluon's example does the same).
    public static let defaultBackboneLimit = 1

    /// Single-domain sites give one `site.conf` fragment; multidomain sites a `site.conf` naming the
    /// default domain (the first) and one `domains/<code>.conf` per domain.
    public static func fragments(for site: Site, keys: GluonKeys? = nil) throws(GluonExportError) -> [GluonExportFragment] {
        var problems: [String] = []
        if let keys {
            for entry in keys.entries {
                guard let gateway = site.gateway(entry.gateway) else {
                    problems.append("\(entry.location): no gateway is called \(Echo.quoted(entry.gateway)) in the site")
                    continue
                }
                if gateway.domain(entry.domain) == nil {
                    problems.append("\(entry.location): gateway \(Echo.quoted(entry.gateway)) has no addresses in domain \(Echo.quoted(entry.domain))")
                }
            }
        }
        var domainTables: [(MeshDomain, LuaTable)] = []
        for domain in site.domains {
            domainTables.append((domain, domainTable(domain, in: site, keys: keys, problems: &problems)))
        }
        guard problems.isEmpty else { throw GluonExportError(problems: problems) }

        var identity = LuaTable()
        identity.set(.string(site.identity.code), forKey: "site_code")
        identity.set(.string(site.identity.name), forKey: "site_name")
        // A site built with GLUON_MULTIDOMAIN=1 stays multidomain, also with a single domain.
        guard site.domains.count > 1 || site.firmware.defaultDomain != nil else {
            var table = identity
            for entry in domainTables[0].1.entries { table.set(entry.value, forKey: entry.key) }
            return [GluonExportFragment(file: "site.conf", table: table)]
        }
        identity.set(.string(site.firmware.defaultDomain ?? site.domains[0].code), forKey: "default_domain")
        var result = [GluonExportFragment(file: "site.conf", table: identity)]
        for (domain, table) in domainTables {
            var file = LuaTable()
            GluonExportShape.names(of: domain, in: site, into: &file)
            for entry in table.entries { file.set(entry.value, forKey: entry.key) }
            result.append(GluonExportFragment(file: "domains/\(domain.code).conf", table: file))
        }
        return result
    }

    /// The fragments as text, each under a comment saying which file it merges into.
    public static func render(_ fragments: [GluonExportFragment], siteName: String) -> String {
        fragments.map { fragment in
            // A Lua comment runs to the end of the line, so a name with a newline must not reach it raw.
            var header = "-- gwsetup gluon export for \(Echo.line(siteName)): merge into \(Echo.line(fragment.file))\n"
            if fragment.table["default_domain"] != nil {
                header += "-- default_domain and domain_names are here so the fragments load on their own; keep your own values.\n"
            }
            return header + LuaTablePrinter().print(fragment.table)
        }.joined(separator: "\n")
    }

    /// The public key the firmware must list for a gateway's fastd instance of a domain: the keys file's, else the site's.
    static func key(of gateway: Gateway, in domain: MeshDomain, keys: GluonKeys?) -> String? {
        keys?.entry(gateway: gateway.name, domain: domain.code)?.key ?? gateway.domain(domain.code)?.fastdPublicKey
    }

    /// The remote nodes dial: fastd's own spelling, `"host" port N`, `a.b.c.d:N` or `[v6]:N`.
    static func remote(host: String, port: Int) -> GluonRemote {
        if GluonRemote.isIPv4Address(host) { return GluonRemote(host: host, port: port, family: .ipv4, hostKind: .ipv4Address) }
        if GluonRemote.isIPv6Address(host) { return GluonRemote(host: host, port: port, family: .ipv6, hostKind: .ipv6Address) }
        return GluonRemote(host: host, port: port)
    }

    /// What nodes are told for NTP and DNS when the site does not say: the gateways' IPv6 mesh addresses,
    /// since Gluon nodes have no IPv4 address of their own on the mesh.
    static func effectiveFirmware(for domain: MeshDomain, in site: Site) -> (ntp: [String], dns: [String], limit: Int) {
        let settings = site.firmware(for: domain)
        let members = site.gateways.compactMap { $0.domain(domain.code)?.ipv6.description }
        return (settings.ntpServers ?? members, settings.dnsServers?.map(\.description) ?? members, settings.backboneLimit ?? defaultBackboneLimit)
    }

    private static func domainTable(_ domain: MeshDomain, in site: Site, keys: GluonKeys?, problems: inout [String]) -> LuaTable {
        var table = LuaTable()
        if let prefix4 = domain.prefix4 { table.set(.string(prefix4.description), forKey: "prefix4") }
        table.set(.string(domain.prefix6.description), forKey: "prefix6")
        if let seed = domain.domainSeed { table.set(.string(seed), forKey: "domain_seed") }
        if let nextNode = domain.nextNode {
            var node = LuaTable()
            if let ipv4 = nextNode.ipv4 { node.set(.string(ipv4.description), forKey: "ip4") }
            if let ipv6 = nextNode.ipv6 { node.set(.string(ipv6.description), forKey: "ip6") }
            if let mac = nextNode.mac { node.set(.string(mac), forKey: "mac") }
            table.set(.table(node), forKey: "next_node")
        }
        let firmware = effectiveFirmware(for: domain, in: site)
        table.set(.table(LuaTable(array: firmware.ntp.map { .string($0) })), forKey: "ntp_servers")
        table.set(["servers": .table(LuaTable(array: firmware.dns.map { .string($0) }))], forKey: "dns")
        table.set(["batman_adv": ["routing_algo": .string(domain.batman.routingAlgorithm.rawValue)]], forKey: "mesh")

        let wireguard = GluonExportWireGuard.table(for: domain, in: site, problems: &problems)
        if GluonExportWireGuard.exportsFastd(domain, in: site, keys: keys) {
            placeFastd(domain, in: site, keys: keys, limit: firmware.limit, into: &table, problems: &problems)
        }
        if let wireguard { GluonExportWireGuard.place(wireguard, into: &table) }
        return table
    }

    /// `mesh_vpn.fastd` (or its generation's place) with every gateway of the domain as a peer in its group.
    private static func placeFastd(_ domain: MeshDomain, in site: Site, keys: GluonKeys?, limit: Int, into table: inout LuaTable, problems: inout [String]) {
        let groups = GluonExportShape.groups(for: domain, in: site, limit: limit)
        var peers: [[String]: LuaTable] = [:]
        for gateway in site.gateways where gateway.domain(domain.code) != nil {
            guard let key = key(of: gateway, in: domain, keys: keys) else {
                problems.append("gateway '\(gateway.name)' has no fastd public key for domain '\(domain.code)': set gateways[].addresses.\(domain.code).fastd_public_key in the site or give it in --keys")
                continue
            }
            guard let host = gateway.nodeFacingHost else {
                problems.append("gateway '\(gateway.name)' is 'local' and has no public_host, so nodes would not know where to reach it: set gateways[].public_host")
                continue
            }
            // Nodes put the host into a fastd config string; only a name or an address may get there.
            guard GluonRemote.isDNSName(host) || GluonRemote.isIPv4Address(host) || GluonRemote.isIPv6Address(host) else {
                problems.append("gateway \(Echo.quoted(gateway.name)): public host \(Echo.quoted(host)) is neither a DNS name nor an IP address, so nodes could not be told where to reach it")
                continue
            }
            let group = GluonExportShape.groupPath(of: gateway, in: domain, groups: groups)
            guard groups.contains(where: { $0.path == group }) else {
                problems.append("gateway \(Echo.quoted(gateway.name)): peer_group \(Echo.quoted(group.joined(separator: "/"))) of domain \(Echo.quoted(domain.code)) is not among the domain's firmware peer_groups")
                continue
            }
            let remotes = GluonExportShape.remotes(of: gateway, in: domain, host: host)
            peers[group, default: LuaTable()].set(["key": .string(key), "remotes": .table(LuaTable(array: remotes.map { .string($0) }))],
                                                  forKey: .string(GluonExportShape.peerName(of: gateway)))
        }
        let fastd: LuaTable = ["methods": .table(LuaTable(array: domain.fastd.methods.map { .string($0) }))]
        GluonExportShape.place(fastd: fastd, groups: GluonExportShape.groupsTable(groups, peers: peers), mtu: domain.mtu,
                               layout: site.firmware.layout ?? .meshVPNFastdMTU, into: &table)
    }
}
