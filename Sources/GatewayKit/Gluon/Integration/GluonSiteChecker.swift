import GatewayBase
import GluonKit

/// Compares what the gateways serve (the site file) with what the router firmware expects (the Gluon site),
/// because a gateway that disagrees with the firmware is the most common gateway bug.
public struct GluonSiteChecker {
    let loaded: LoadedSite
    let siteFile: String
    let gluon: GluonSite
    let keys: GluonKeys?
    /// Per gateway name, what its rendered configs would run; a gateway without an entry is taken at the site's word.
    let rendered: [String: RenderedMeshFacts]
    private var found: [GluonDisagreement] = []

    public init(site loaded: LoadedSite, siteFile: String, gluon: GluonSite, keys: GluonKeys? = nil, rendered: [String: RenderedMeshFacts] = [:]) {
        self.loaded = loaded
        self.siteFile = siteFile
        self.gluon = gluon
        self.keys = keys
        self.rendered = rendered
    }

    /// Every disagreement, domain by domain in site order; empty when the two agree.
    public static func disagreements(site loaded: LoadedSite, siteFile: String, gluon: GluonSite, keys: GluonKeys? = nil,
                                     rendered: [String: RenderedMeshFacts] = [:]) -> [GluonDisagreement] {
        var checker = GluonSiteChecker(site: loaded, siteFile: siteFile, gluon: gluon, keys: keys, rendered: rendered)
        checker.run()
        return checker.found
    }

    /// What `gluon check` compares: every gateway's configs rendered with the site's templates, overrides included.
    public static func disagreements(pipeline: SitePipeline, gluon: GluonSite, keys: GluonKeys? = nil) throws -> [GluonDisagreement] {
        let builder = DesiredStateBuilder(site: pipeline.site, renderer: pipeline.renderer)
        var rendered: [String: RenderedMeshFacts] = [:]
        for gateway in pipeline.site.gateways {
            rendered[gateway.name] = RenderedMeshFacts(desired: try builder.build(for: gateway), domains: gateway.domains.map(\.code))
        }
        return disagreements(site: pipeline.loaded, siteFile: pipeline.sitePath, gluon: gluon, keys: keys, rendered: rendered)
    }

    var site: Site { loaded.site }

    /// Where the site writes `path`, else its nearest written ancestor (a domain's or gateway's own line).
    func at(_ path: String) -> String {
        var components = path.split(separator: ".").map(String.init)
        while !components.isEmpty {
            if let location = loaded.locations[components.joined(separator: ".")] { return location.description }
            let last = components.removeLast()
            if Int(last) != nil {
                for key in ["code", "name"] {
                    if let location = loaded.locations[(components + [last, key]).joined(separator: ".")] { return location.description }
                }
            }
        }
        return siteFile
    }

    mutating func report(_ domain: String?, gateway: String? = nil, _ field: String, site: String, _ siteLocation: String?, firmware: String, _ firmwareLocation: SourceLocation?) {
        found.append(GluonDisagreement(domain: domain, gateway: gateway, field: field, site: site, siteLocation: siteLocation,
                                       firmware: firmware, firmwareLocation: firmwareLocation?.description))
    }

    private mutating func run() {
        var paired: Set<String> = []
        for (index, domain) in site.domains.enumerated() {
            let match: GluonDomain?
            if site.domains.count == 1 && gluon.domains.count == 1 {
                match = gluon.domains[0]
            } else {
                match = gluon.domains.first { GluonNames.identifier(for: $0.code) == domain.code } ?? gluon.domain(named: domain.code)
            }
            guard let firmware = match else {
                report(domain.code, "domain", site: "serves domain '\(domain.code)'", at("domains.\(index).code"), firmware: "(no such domain)", nil)
                continue
            }
            paired.insert(firmware.code)
            compare(domain, index: index, with: firmware)
        }
        for firmware in gluon.domains where !paired.contains(firmware.code) {
            report(firmware.code, "domain", site: "(no such domain)", nil, firmware: "domain '\(firmware.code)'", firmware.config.location(at: ["prefix6"]))
        }
        for difference in Self.shapeDifferences(site: site, gluon: gluon) {
            report(nil, difference.field, site: difference.site, at("firmware"), firmware: difference.firmware, difference.location)
        }
    }

    private mutating func compare(_ domain: MeshDomain, index: Int, with firmware: GluonDomain) {
        let path = "domains.\(index)"
        let code = domain.code
        let config = firmware.config
        let none = "(not set)"

        let firmware4 = firmware.prefix4.map { IPv4Network($0, strict: false)?.description ?? $0 }
        if domain.prefix4?.description != firmware4 {
            report(code, "prefix4", site: domain.prefix4?.description ?? none, at("\(path).prefix4"), firmware: firmware4 ?? none, config.location(at: ["prefix4"]))
        }
        let firmware6 = IPv6Network(firmware.prefix6, strict: false)?.description ?? firmware.prefix6
        if domain.prefix6.description != firmware6 {
            report(code, "prefix6", site: domain.prefix6.description, at("\(path).prefix6"), firmware: firmware6, config.location(at: ["prefix6"]))
        }
        let algorithm = firmware.routingAlgorithm ?? SiteDefaults.routingAlgorithm.rawValue
        if domain.batman.routingAlgorithm.rawValue != algorithm {
            report(code, "routing_algo", site: domain.batman.routingAlgorithm.rawValue, at("\(path).batman.routing_algo"),
                   firmware: firmware.routingAlgorithm ?? "\(none): \(algorithm)", config.location(at: ["mesh", "batman_adv", "routing_algo"]))
        }
        compareNextNode(domain, path: path, firmware: firmware)
        if let seed = domain.domainSeed, seed != firmware.domainSeed?.lowercased() {
            report(code, "domain_seed", site: seed, at("\(path).domain_seed"), firmware: firmware.domainSeed ?? none, config.location(at: ["domain_seed"]))
        }
        let settings = site.firmware(for: domain)
        let firmwarePath = domain.firmware != nil ? "\(path).firmware" : "firmware"
        if let ntp = settings.ntpServers, ntp != firmware.ntpServers {
            report(code, "ntp_servers", site: ntp.joined(separator: ", "), at("\(firmwarePath).ntp_servers"),
                   firmware: firmware.ntpServers.isEmpty ? none : firmware.ntpServers.joined(separator: ", "), config.location(at: ["ntp_servers"]))
        }
        if let dns = settings.dnsServers?.map(\.description), dns != firmware.dnsServers.map({ IPAddress($0)?.description ?? $0 }) {
            report(code, "dns.servers", site: dns.joined(separator: ", "), at("\(firmwarePath).dns_servers"),
                   firmware: firmware.dnsServers.isEmpty ? none : firmware.dnsServers.joined(separator: ", "), config.location(at: ["dns", "servers"]))
        }

        compareResolvers(domain, firmware: firmware)
        compareNextNodeWithGateways(domain, firmware: firmware)

        if let key = firmware.babelKey {
            // Nodes that route with Babel never mesh with these gateways, so comparing their VPN would only add noise.
            report(code, "mesh", site: "batman-adv", at("\(path).batman.routing_algo"), firmware: "Babel (\(key)), which gwsetup does not build", config.location(at: [key]))
            return
        }
        compareWireGuard(domain, path: path, firmware: firmware)
        guard let fastd = firmware.meshVPN.fastd else {
            // A WireGuard-only firmware: its peers were compared above; the fastd gwsetup also serves harms no node.
            if firmware.meshVPN.wireguard == nil {
                report(code, "fastd", site: "fastd on port \(domain.fastd.port)", at("\(path).fastd.port"), firmware: "(none)", config.location(at: ["mesh_vpn"]))
            }
            return
        }
        let fastdPath = fastd.tablePath
        for served in servedValues(domain, site: domain.mtu, \.mtu) where served.value != fastd.mtu?.value {
            report(code, gateway: served.gateway, "mtu", site: String(served.value), served.location ?? at("\(path).mtu"),
                   firmware: fastd.mtu.map { String($0.value) } ?? none, fastd.mtu?.location)
        }
        for served in servedValues(domain, site: domain.fastd.methods, \.methods) where served.value != fastd.methods {
            let field = Set(fastd.methods) == Set(served.value) ? "methods (order)" : "methods"
            report(code, gateway: served.gateway, field, site: served.value.joined(separator: ", "), served.location ?? at("\(path).fastd.methods"),
                   firmware: fastd.methods.isEmpty ? none : fastd.methods.joined(separator: ", "), config.location(at: fastdPath + ["methods"]))
        }
        if let limit = settings.backboneLimit, limit != GluonImportedFirmware.limit(of: fastd) {
            report(code, "backbone limit", site: String(limit), at("\(firmwarePath).backbone_limit"),
                   firmware: GluonImportedFirmware.limit(of: fastd).map(String.init) ?? none,
                   GluonImportedFirmware.limitGroup(of: fastd).flatMap { config.location(at: $0.path + ["limit"]) } ?? config.location(at: fastdPath + ["groups"]))
        }
        comparePeers(domain, path: path, fastd: fastd, config: config)
    }

    private mutating func compareNextNode(_ domain: MeshDomain, path: String, firmware: GluonDomain) {
        guard let nextNode = domain.nextNode else { return }
        let given = firmware.nextNode
        let none = "(not set)"
        if let ipv4 = nextNode.ipv4, ipv4.description != given.ip4.map({ IPv4Address($0)?.description ?? $0 }) {
            report(domain.code, "next_node.ipv4", site: ipv4.description, at("\(path).next_node.ipv4"), firmware: given.ip4 ?? none, firmware.config.location(at: ["next_node", "ip4"]))
        }
        if let ipv6 = nextNode.ipv6, ipv6.description != given.ip6.map({ IPv6Address($0)?.description ?? $0 }) {
            report(domain.code, "next_node.ipv6", site: ipv6.description, at("\(path).next_node.ipv6"), firmware: given.ip6 ?? none, firmware.config.location(at: ["next_node", "ip6"]))
        }
        if let mac = nextNode.mac, mac != given.mac?.lowercased() {
            report(domain.code, "next_node.mac", site: mac, at("\(path).next_node.mac"), firmware: given.mac ?? none, firmware.config.location(at: ["next_node", "mac"]))
        }
    }

    private mutating func comparePeers(_ domain: MeshDomain, path: String, fastd: GluonFastd, config: LuaTable) {
        let code = domain.code
        var matched: Set<String> = []
        for peer in fastd.allPeers {
            let gatewayIndex = site.gateways.firstIndex { $0.gluonPeer == peer.name }
                ?? site.gateways.firstIndex { $0.name == peer.name }
                ?? site.gateways.firstIndex { $0.name == GluonNames.gatewayName(forPeer: peer.name) }
            guard let gatewayIndex else {
                report(code, gateway: peer.name, "gateway", site: "(no such gateway)", nil, firmware: "fastd peer '\(peer.name)'", peer.location)
                continue
            }
            let gateway = site.gateways[gatewayIndex]
            let gatewayPath = "gateways.\(gatewayIndex)"
            guard gateway.domain(code) != nil else {
                report(code, gateway: gateway.name, "gateway", site: "has no addresses in domain '\(code)'", at("\(gatewayPath).addresses"),
                       firmware: "fastd peer '\(peer.name)'", peer.location)
                continue
            }
            matched.insert(gateway.name)
            let entryPath = "\(gatewayPath).addresses.\(code)"
            let fromKeys = keys?.entry(gateway: gateway.name, domain: code)
            if let expected = fromKeys?.key ?? gateway.domain(code)?.fastdPublicKey, expected != peer.key?.lowercased() {
                report(code, gateway: gateway.name, "key", site: expected, fromKeys?.location.description ?? at("\(entryPath).fastd_public_key"),
                       firmware: peer.key ?? "(not set)", peer.keyLocation ?? peer.location)
            }
            // The ports the gateway's fastd would bind, as rendered; the site's port where nothing was rendered.
            let boundPorts = rendered[gateway.name]?.fastd[code]?.ports ?? []
            let entry = gateway.domain(code)
            let served = boundPorts.isEmpty ? domain.fastdInstances(on: entry).map(\.port) : boundPorts.map(\.value)
            let servedText = served.map(String.init).joined(separator: ", ")
            let servedLocation = boundPorts.first.map(\.location) ?? at(entry?.fastdPort != nil ? "\(entryPath).fastd_port" : "\(path).fastd.port")
            var wrongPorts: [GluonRemoteEntry] = []
            for entry in peer.remotes {
                guard let remote = entry.remote else {
                    report(code, gateway: gateway.name, "remote", site: "port \(servedText)", servedLocation,
                           firmware: "'\(entry.text)' (\(entry.problem?.message ?? "unreadable"))", entry.location)
                    continue
                }
                if !served.contains(remote.port) { wrongPorts.append(entry) }
            }
            // One line per peer: its remotes usually name one host several ways, all with the same port.
            if let first = wrongPorts.first {
                let ports = wrongPorts.compactMap { $0.remote?.port }.reduce(into: [Int]()) { if !$0.contains($1) { $0.append($1) } }
                report(code, gateway: gateway.name, "fastd port", site: servedText, servedLocation,
                       firmware: ports.map(String.init).joined(separator: ", ") + " (" + wrongPorts.map(\.text).joined(separator: ", ") + ")", first.location)
            }
            for difference in Self.exportDifferences(site: site, domain: domain, gateway: gateway, peer: peer, fastd: fastd, siteLocation: at(entryPath)) {
                report(code, gateway: gateway.name, difference.field, site: difference.site, at(entryPath), firmware: difference.firmware, difference.location)
            }
            let hosts = peer.remotes.compactMap { $0.remote?.host.lowercased() }
            // Kept remotes are what export writes, so the gateway's own host name does not reach the nodes.
            if gateway.domain(code)?.firmwareRemotes == nil, let host = gateway.nodeFacingHost, !hosts.isEmpty, !hosts.contains(host.lowercased()) {
                report(code, gateway: gateway.name, "remote host", site: host, at("\(gatewayPath).public_host"),
                       firmware: peer.remotes.map(\.text).joined(separator: ", "), peer.remotes.first?.location)
            }
        }
        for (index, gateway) in site.gateways.enumerated() where gateway.domain(code) != nil && !matched.contains(gateway.name) {
            report(code, gateway: gateway.name, "gateway", site: "serves domain '\(code)'", at("gateways.\(index).addresses.\(code)"),
                   firmware: "(no fastd peer: nodes never connect to it)", config.location(at: fastd.tablePath + ["groups"]))
        }
    }

    /// Gateway and domain pairs whose key can be compared with nothing (no `fastd_public_key`, no keys-file line), so the admin knows.
    public static func gatewaysWithoutKnownKey(in site: Site, keys: GluonKeys?) -> [(gateway: String, domain: String)] {
        site.gateways.flatMap { gateway in
            gateway.domains.filter { $0.fastdPublicKey == nil && keys?.entry(gateway: gateway.name, domain: $0.code) == nil }
                .map { (gateway.name, $0.code) }
        }
    }
}
