import GatewayBase
import GluonKit

/// What `gluon export` would write compared with what the firmware has: peer names, groups, remotes,
/// generation and multidomain layout, so check and export can never disagree about a site.
extension GluonSiteChecker {
    /// One disagreement per value export would write differently from the firmware.
    static func exportDifferences(site: Site, domain: MeshDomain, gateway: Gateway, peer: GluonFastdPeer, fastd: GluonFastd,
                                  siteLocation: String) -> [(field: String, site: String, firmware: String, location: SourceLocation?)] {
        var found: [(field: String, site: String, firmware: String, location: SourceLocation?)] = []
        let name = GluonExportShape.peerName(of: gateway)
        if name != peer.name {
            found.append(("peer name", name, peer.name, peer.location))
        }
        let groups = GluonExportShape.groups(for: domain, in: site, limit: site.firmware(for: domain).backboneLimit ?? GluonExporter.defaultBackboneLimit)
        let exportedGroup = GluonExportShape.groupPath(of: gateway, in: domain, groups: groups)
        if let firmwareGroup = GluonImportedShape.groupPath(of: peer.name, in: fastd), firmwareGroup != exportedGroup {
            found.append(("peer group", exportedGroup.joined(separator: "/"), firmwareGroup.joined(separator: "/"), peer.location))
        }
        guard let host = gateway.nodeFacingHost else { return found }
        let exported = GluonExportShape.remotes(of: gateway, in: domain, host: host)
        let ports = GluonExportShape.servedPorts(of: gateway, in: domain)
        // A remote that differs only in its port is reported once per peer as "fastd port"; one on a served port stays.
        let firmware = peer.remotes.map { entry in
            entry.remote.map { ports.contains($0.port) } == true ? entry.text : GluonExportShape.onPort(entry.text, ports[0])
        }
        for (entry, normalized) in zip(peer.remotes, firmware) where !exported.contains(normalized) {
            found.append(("remote", "(gluon export drops it)", "'\(entry.text)'", entry.location))
        }
        for remote in exported where !firmware.contains(remote) {
            found.append(("remote", "'\(remote)'", "(not listed)", peer.location))
        }
        if Set(exported) == Set(firmware), exported != firmware {
            found.append(("remotes (order)", exported.joined(separator: ", "), peer.remotes.map(\.text).joined(separator: ", "), peer.remotes.first?.location))
        }
        return found
    }

    /// Layout and multidomain-ness of the whole firmware as export would write them.
    static func shapeDifferences(site: Site, gluon: GluonSite) -> [(field: String, site: String, firmware: String, location: SourceLocation?)] {
        var found: [(field: String, site: String, firmware: String, location: SourceLocation?)] = []
        let exportedLayout = site.firmware.layout ?? .meshVPNFastdMTU
        if let layout = GluonImportedShape.layout(of: gluon), layout != exportedLayout {
            let domain = gluon.domains.first { $0.meshVPN.fastd != nil }
            found.append(("layout", exportedLayout.rawValue, layout.rawValue,
                          domain?.meshVPN.fastd?.mtu?.location ?? domain?.config.location(at: domain?.meshVPN.fastd?.tablePath ?? [])))
        }
        let multidomain = site.domains.count > 1 || site.firmware.defaultDomain != nil
        if multidomain != gluon.isMultidomain {
            found.append(("multidomain", multidomain ? "domains/<code>.conf files" : "a single site.conf",
                          gluon.isMultidomain ? "domains/<code>.conf files" : "a single site.conf", gluon.siteTable.location(forKey: "default_domain")))
        } else if multidomain, let name = gluon.defaultDomainName, name != (site.firmware.defaultDomain ?? site.domains[0].code) {
            found.append(("default_domain", site.firmware.defaultDomain ?? site.domains[0].code, name, gluon.siteTable.location(forKey: "default_domain")))
        }
        return found
    }

    /// `note:` lines for DNS servers the site itself declares (`firmware.dns_servers`) that no gateway of the domain has
    /// as an address: a resolver the community runs elsewhere, or one import could not place (ffmwu names its gateways'
    /// own addresses; import cannot know which gateway had which). Undeclared ones are disagreements of the check.
    public static func dnsNotes(site: Site, gluon: GluonSite) -> [String] {
        site.domains.flatMap { domain -> [String] in
            guard let firmware = gluon.domains.first(where: { GluonNames.identifier(for: $0.code) == domain.code }) ?? (site.domains.count == 1 ? gluon.domains.first : nil) else { return [] }
            let location = firmware.config.location(at: ["dns", "servers"]).map { "\($0): " } ?? ""
            let declared = Set((site.firmware(for: domain).dnsServers ?? []).map(\.description))
            return strayDNSServers(site: site, domain: domain, firmware: firmware).filter { declared.contains(IPAddress($0)?.description ?? $0) }.map { server in
                "note: \(location)domain '\(domain.code)': the firmware hands out DNS server \(server), which is no address of a gateway in the site; nodes will ask a host gwsetup does not set up (give that gateway this address, or change dns.servers)"
            }
        }
    }

    /// DNS servers the firmware hands out that no gateway of the domain has as an address: nodes would ask a host gwsetup does not run.
    static func strayDNSServers(site: Site, domain: MeshDomain, firmware: GluonDomain) -> [String] {
        let addresses = Set(site.gateways.compactMap { $0.domain(domain.code) }.flatMap(\.meshAddressTexts))
        return firmware.dnsServers.filter { server in
            guard let address = IPAddress(server) else { return true }
            return !addresses.contains(address.description)
        }
    }
}
