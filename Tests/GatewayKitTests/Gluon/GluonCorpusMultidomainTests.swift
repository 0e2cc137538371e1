import Foundation
import Testing
@testable import GatewayKit
@testable import GluonKit

/// The multidomain sites of the corpus: merged values per domain and default-domain alias resolution, per corpus/NOTES.md.
@Suite("Gluon corpus: multidomain sites merge and resolve like Gluon")
struct GluonCorpusMultidomainTests {
    /// Loads `<community>-…site.conf` with the corpus files `<community>-<code>.domain.conf`.
    private func load(_ siteFile: String, community: String, domains codes: [String]) throws -> GluonSite {
        let sources = try codes.map { code in
            GluonDomainSource(code: code, url: try CorpusLocator.file("gluon-site/\(community)-\(code).domain.conf"))
        }
        return try GluonSiteLoader.load(siteConf: try CorpusLocator.file("gluon-site/\(siteFile).site.conf"), domains: sources)
    }

    @Test func ffmuc2024IsWireGuardOnlyInEveryDomain() throws {
        let site = try load("ffmuc-2024-wireguard-multidomain", community: "ffmuc", domains: ["ffmuc_welt", "ffmuc_muc_cty"])
        #expect(site.siteCode == "ffmuc")
        #expect(site.isMultidomain)
        #expect(site.defaultDomainName == "ffmuc_welt")
        #expect(site.defaultDomainCode == "ffmuc_welt")
        #expect(site.ntpServers == ["ntp.ext.ffmuc.net"])
        #expect(site.domains.map(\.code) == ["ffmuc_muc_cty", "ffmuc_welt"])

        let expected: [(code: String, prefix4: String, prefix6: String, port: Int)] = [
            ("ffmuc_welt", "10.80.200.0/21", "fd62:f45c:4d09:109::/64", 40011),
            ("ffmuc_muc_cty", "10.80.128.0/21", "fd62:f45c:4d09:100::/64", 40002),
        ]
        for row in expected {
            let domain = try #require(site.domain(named: row.code))
            #expect(domain.prefix4 == row.prefix4)
            #expect(domain.prefix6 == row.prefix6)
            #expect(domain.ntpServers == ["ntp.ext.ffmuc.net"], "ntp_servers come from site.conf")
            #expect(domain.routingAlgorithm == "BATMAN_V", "routing_algo comes from site.conf")
            #expect(domain.meshVPN.fastd == nil)
            #expect(domain.meshVPN.isWireGuardOnly)
            let wireguard = try #require(domain.meshVPN.wireguard)
            #expect(wireguard.mtu == GluonMTU(value: 1406, layout: .meshVPNWireGuard))
            #expect(wireguard.peers.map(\.name) == [nil, nil, nil, nil])
            #expect(wireguard.peers.map(\.endpoint) == (4...7).map { "gw0\($0).ext.ffmuc.net:\(row.port)" })
            #expect(wireguard.peers.allSatisfy { $0.publicKey?.hasSuffix("=") == true })
            #expect(domain.config.value(at: ["mesh_vpn", "bandwidth_limit", "ingress"]) == .integer(12000), "site.conf's mesh_vpn keys survive the merge")
        }
        #expect(site.defaultDomain?.domainSeed?.hasPrefix("1f0b31") == true)
    }

    @Test func tecff2022TakesLimitFromSiteAndPeersFromDomains() throws {
        let site = try load("tecff-2022-multidomain", community: "tecff", domains: ["tecff_legacy", "tecff_default"])
        #expect(site.siteCode == "tecff")
        #expect(site.defaultDomainCode == "tecff_legacy")
        let ntp = ["fdef:ffc0:4ffa:ffff::123", "fdef:ffc0:4ffa::12", "0.ntp.tecff.de", "1.ntp.tecff.de"]
        #expect(site.ntpServers == ntp)

        let legacy = try #require(site.domain(named: "tecff_legacy"))
        #expect(legacy.prefix4 == "10.120.0.0/19")
        #expect(legacy.prefix6 == "fdef:ffc0:4ffa:0::/64")
        #expect(legacy.ntpServers == ntp)
        #expect(legacy.names == [GluonDomainName(code: "tecff_legacy", displayName: "Legacy", isHidden: true)])
        let legacyFastd = try #require(legacy.meshVPN.fastd)
        #expect(legacyFastd.mtu == GluonMTU(value: 1312, layout: .meshVPN))
        #expect(legacyFastd.methods == ["salsa2012+umac"])
        #expect(legacyFastd.groups.map(\.name) == ["backbone"])
        #expect(legacyFastd.groups.first?.limit == 1)
        #expect(legacyFastd.allPeers.map(\.name) == ["gw0", "gw1", "gw03", "gw04", "gw05", "gw06"])
        let gw0 = legacyFastd.allPeers[0].remotes.compactMap(\.remote)
        #expect(gw0.contains(GluonRemote(host: "138.201.20.119", port: 10011, family: .ipv4, hostKind: .ipv4Address)))
        #expect(gw0.contains(GluonRemote(host: "2a01:4f8:171:2b48::119", port: 10011, family: .ipv6, hostKind: .ipv6Address)))
        let gw05 = legacyFastd.allPeers[4].remotes.compactMap(\.remote)
        #expect(gw05.contains(GluonRemote(host: "94.130.14.61", port: 10015, family: .ipv4, hostKind: .ipv4Address)))
        #expect(gw05.contains(GluonRemote(host: "2a01:4f8:10b:1265::3", port: 10015, family: .ipv6, hostKind: .ipv6Address)))
        for peer in [1, 2, 3, 5].map({ legacyFastd.allPeers[$0] }) {
            #expect(peer.remotes.allSatisfy { $0.remote?.hostKind == .name && $0.text.contains(" port ") })
        }

        let standard = try #require(site.domain(named: "tecff_default"))
        #expect(standard.prefix4 == "10.120.192.0/22")
        #expect(standard.prefix6 == "fdef:ffc0:4ffa:192::/64")
        let standardFastd = try #require(standard.meshVPN.fastd)
        #expect(standardFastd.groups.first?.limit == 1)
        #expect(standardFastd.allPeers.map(\.name) == ["gw0", "gw1"])
        for (peer, port) in zip(standardFastd.allPeers, [10039, 10040]) {
            let remotes = peer.remotes.compactMap(\.remote)
            #expect(remotes.count == 4)
            #expect(remotes.allSatisfy { $0.port == port })
            #expect(remotes.map(\.hostKind) == [.name, .name, .ipv4Address, .ipv6Address])
        }
        #expect(standard.names.allSatisfy { !$0.isHidden })
        #expect(site.warnings.isEmpty)
    }

    @Test func ffmwu2023ResolvesTheDefaultDomainAlias() throws {
        let site = try load("ffmwu-2023-multidomain-alias", community: "ffmwu", domains: ["dom0", "ffmz"])
        #expect(site.siteCode == "ffmwu")
        #expect(site.defaultDomainName == "umland")
        #expect(site.defaultDomainCode == "dom0")
        #expect(site.domain(named: "umland")?.code == "dom0")
        #expect(site.ntpServers.isEmpty, "site.conf itself sets no NTP servers")

        let names = ["ingwer", "wasserfloh", "lotuswurzel", "uffschnitt", "mate", "chili", "sparegate2", "sparegate3"]
        let expected: [(code: String, prefix4: String, prefix6: String, ntp: String, port: Int)] = [
            ("dom0", "10.86.0.0/20", "fd86:b4dc:4b1e::/64", "ntp6.ffmwu.org", 10000),
            ("ffmz", "10.37.0.0/18", "fd37:b4dc:4b1e::/64", "ntp6.ffmz.org", 10037),
        ]
        for row in expected {
            let domain = try #require(site.domain(named: row.code))
            #expect(domain.prefix4 == row.prefix4)
            #expect(domain.prefix6 == row.prefix6)
            #expect(domain.ntpServers == [row.ntp])
            let fastd = try #require(domain.meshVPN.fastd)
            #expect(fastd.mtu == GluonMTU(value: 1406, layout: .meshVPNFastd))
            #expect(fastd.methods == ["salsa2012+umac"])
            #expect(fastd.groups.first?.limit == 1)
            #expect(fastd.allPeers.map(\.name) == names)
            #expect(fastd.allPeers.map(\.remotes.count) == [3, 3, 3, 3, 3, 3, 1, 1])
            #expect(fastd.allPeers.flatMap(\.remotes).allSatisfy { $0.remote?.port == row.port })
            #expect(fastd.allPeers[0].remotes.compactMap(\.remote?.hostKind) == [.name, .ipv6Address, .ipv4Address])
        }
        let dom0 = try #require(site.domain(named: "dom0"))
        #expect(dom0.names == [
            GluonDomainName(code: "dom0", displayName: "Domain 0", isHidden: true),
            GluonDomainName(code: "umland", displayName: "Umland", isHidden: false),
        ])
        #expect(dom0.aliases == ["umland"])
        #expect(dom0.routingAlgorithm == "BATMAN_IV")
    }

    @Test func ffh2023MergesDomainPeersIntoTheSitesEmptyPeerTable() throws {
        let site = try load("ffh-2023-multidomain-compact", community: "ffh", domains: ["dom10", "dom0"])
        #expect(site.siteCode == "ffh")
        #expect(site.defaultDomainName == "unconfigured")
        #expect(site.defaultDomainCode == "dom10")
        #expect(site.ntpServers == ["ntp.ffh.zone"])
        let expected: [(code: String, aliases: [String], prefix4: String, prefix6: String, port: Int)] = [
            ("dom10", ["hameln", "alfeld", "unconfigured", "dom10"], "10.10.0.0/16", "fdca:ffee:8:10::/64", 10010),
            ("dom0", ["legacy", "dom0"], "10.2.0.0/16", "fdca:ffee:8:0::/64", 10000),
        ]
        for row in expected {
            let domain = try #require(site.domain(named: row.code))
            #expect(domain.names.map(\.code) == row.aliases)
            #expect(domain.prefix4 == row.prefix4)
            #expect(domain.prefix6 == row.prefix6)
            #expect(domain.ntpServers == ["ntp.ffh.zone"])
            let fastd = try #require(domain.meshVPN.fastd)
            #expect(fastd.mtu == GluonMTU(value: 1394, layout: .meshVPNFastd))
            #expect(fastd.methods == ["salsa2012+umac"])
            #expect(fastd.groups.first?.limit == 1)
            let peerNames = (1...10).map { String(format: "sn%02d", $0) }
            #expect(fastd.allPeers.map(\.name) == peerNames)
            #expect(fastd.allPeers.flatMap(\.remotes).compactMap(\.remote) == peerNames.map { GluonRemote(host: "\($0).s.ffh.zone", port: row.port) })
            #expect(domain.dnsServers.count == 10)
        }
        #expect(site.domain(named: "dom10")?.names.filter(\.isHidden).map(\.code) == ["dom10"])
        #expect(site.domain(named: "dom0")?.names.allSatisfy(\.isHidden) == true, "hide_domain = true hides every code")
    }

    @Test func aDomainsDirectoryBesideSiteConfIsFoundByItself() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gwsetup-gluon-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("domains"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(at: try CorpusLocator.file("gluon-site/ffmwu-2023-multidomain-alias.site.conf"),
                                         to: directory.appendingPathComponent("site.conf"))
        for code in ["dom0", "ffmz"] {
            try FileManager.default.copyItem(at: try CorpusLocator.file("gluon-site/ffmwu-\(code).domain.conf"),
                                             to: directory.appendingPathComponent("domains/\(code).conf"))
        }
        let site = try GluonSiteLoader.load(siteConf: directory.appendingPathComponent("site.conf"))
        #expect(site.domains.map(\.code) == ["dom0", "ffmz"])
        #expect(site.defaultDomainCode == "dom0")
        #expect(site.domain(named: "dom0")?.config.location(forKey: "prefix4")?.file.hasSuffix("/domains/dom0.conf") == true)
    }

    @Test func anUnresolvableDefaultDomainIsAnErrorAtItsLine() throws {
        do {
            _ = try load("ffmwu-2023-multidomain-alias", community: "ffmwu", domains: ["ffmz"])
            Issue.record("loading without the domain that declares 'umland' must fail")
        } catch let error as GluonSiteError {
            #expect(error.location?.line == 5)
            #expect(error.location?.column == 5)
            #expect(error.description.hasSuffix("ffmwu-2023-multidomain-alias.site.conf:5:5: default_domain 'umland' is neither a domain file nor an alias in any domain's domain_names (known codes: ffmz)"))
        }
    }

    @Test func aMultidomainSiteWithoutDomainFilesIsAnError() throws {
        #expect(throws: GluonSiteError.self) {
            _ = try GluonSiteLoader.load(siteConf: try CorpusLocator.file("gluon-site/tecff-2022-multidomain.site.conf"), domains: [])
        }
        #expect(throws: GluonSiteError.self) {
            _ = try GluonSiteLoader.load(siteConf: try CorpusLocator.file("gluon-site/tecff-2022-multidomain.site.conf"),
                                         domainsDirectory: URL(fileURLWithPath: "/nonexistent/domains"))
        }
    }
}
