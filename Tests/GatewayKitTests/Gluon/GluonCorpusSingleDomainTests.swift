import Foundation
import Testing
@testable import GatewayKit
@testable import GluonKit

/// The single-domain sites of the corpus against the hand-made answer key in corpus/NOTES.md.
@Suite("Gluon corpus: single-domain sites match the answer key")
struct GluonCorpusSingleDomainTests {
    private func load(_ name: String) throws -> GluonSite {
        try GluonSiteLoader.load(siteConf: try CorpusLocator.file("gluon-site/\(name).site.conf"), domains: [])
    }

    private func onlyDomain(_ site: GluonSite) throws -> GluonDomain {
        #expect(site.domains.count == 1)
        #expect(!site.isMultidomain)
        return try #require(site.domains.first)
    }

    @Test func gluonExampleFlagsPlaceholderRemotesInsteadOfFailing() throws {
        let site = try load("gluon-example-v2025.1.3")
        let domain = try onlyDomain(site)
        #expect(site.siteCode == "ffxx")
        #expect(domain.code == "ffxx")
        #expect(domain.prefix4 == "10.xxx.0.0/20")
        #expect(domain.prefix6 == "fdxx:xxxx:xxxx::/64")
        #expect(site.ntpServers == ["1.ntp.services.ffxx"])
        let fastd = try #require(domain.meshVPN.fastd)
        #expect(fastd.mtu == GluonMTU(value: 1312, layout: .meshVPNFastd))
        #expect(fastd.methods == ["salsa2012+umac"])
        #expect(fastd.groups.map(\.name) == ["backbone"])
        #expect(fastd.groups.first?.limit == 1)
        #expect(fastd.allPeers.map(\.name) == ["peer1", "peer2"])
        let remotes = fastd.allPeers.flatMap(\.remotes)
        #expect(remotes.map(\.text) == [#"ipv4 "xxx.somehost.invalid" port xxxxxx"#, #""xxx.somehost2.invalid" port xxxxx"#])
        #expect(remotes.allSatisfy { $0.remote == nil })
        #expect(remotes.first?.problem?.message == "port 'xxxxxx' is not a number")
        let remoteWarnings = site.warnings.filter { $0.message.contains("is not a number") }
        #expect(remoteWarnings.count == 2)
        #expect(remoteWarnings.first?.location?.line == 145)
        #expect(remoteWarnings.first?.location?.column == 26)
        #expect(domain.meshVPN.wireguard == nil)
        #expect(domain.babelKey == nil)
        #expect(domain.routingAlgorithm == "BATMAN_IV")
        #expect(domain.nextNode == GluonNextNode(ip4: "10.xxx.0.xxx", ip6: "fdxx:xxxx:xxxx::xxxx"))
    }

    @Test func ffmuc2014UsesTheLegacyBackboneAndToleratesTheStrayName() throws {
        let site = try load("ffmuc-2014-fastd-toplevel-blockcomments")
        let domain = try onlyDomain(site)
        #expect(site.siteCode == "ffm")
        #expect(site.siteName == "Freifunk München")
        #expect(domain.prefix4 == "10.80.0.0/16")
        #expect(domain.prefix6 == "fdef:ffc0:4fff::/64")
        #expect(site.ntpServers == ["1.ntp.services.ffm"])
        #expect(site.domainSeed == nil)
        let fastd = try #require(domain.meshVPN.fastd)
        #expect(fastd.tablePath == ["fastd_mesh_vpn"])
        #expect(fastd.mtu == GluonMTU(value: 1426, layout: .fastdMeshVPN))
        #expect(fastd.methods == ["salsa2012+gmac"])
        #expect(fastd.groups.map(\.name) == ["backbone"])
        #expect(fastd.groups.first?.limit == 2)
        #expect(fastd.allPeers.map(\.name) == ["vpn_gw01", "vpn_gw02", "vpn_gw04"])
        #expect(fastd.allPeers.map { $0.remotes.compactMap(\.remote) } == [
            [GluonRemote(host: "37.120.168.150", port: 10000, family: .ipv4, hostKind: .ipv4Address)],
            [GluonRemote(host: "46.149.23.224", port: 10000, family: .ipv4, hostKind: .ipv4Address)],
            [GluonRemote(host: "213.166.225.3", port: 10000, family: .ipv4, hostKind: .ipv4Address)],
        ])
        let stray = site.warnings.filter { $0.message.contains("stray name 'g'") }
        #expect(stray.count == 1)
        #expect(stray.first?.location?.line == 238)
        #expect(stray.first?.location?.column == 25)
        #expect(domain.config.value(at: ["autoupdater", "branches", "stable", "probability"]) == .float(0.08))
        #expect(domain.config.value(at: ["config_mode", "msg_pubkey"])?.stringValue?.contains("key=<%=pubkey%>&name=<%=hostname%>") == true)
    }

    @Test func fmie2017HasTopLevelFastdGroups() throws {
        let site = try load("fmie-2017-fastd-toplevel-groups")
        let domain = try onlyDomain(site)
        #expect(site.siteCode == "fmie")
        #expect(domain.prefix4 == "10.70.0.0/16")
        #expect(domain.prefix6 == "2001:678:358::/64")
        #expect(site.ntpServers == ["ntp.freemash.ie"])
        #expect(site.domainSeed == nil)
        let fastd = try #require(domain.meshVPN.fastd)
        #expect(fastd.mtu == GluonMTU(value: 1350, layout: .fastdMeshVPN))
        #expect(fastd.methods == ["salsa2012+umac"])
        #expect(fastd.groups.first?.limit == 2)
        #expect(fastd.allPeers.map(\.name) == ["tower", "cave"])
        #expect(fastd.allPeers.flatMap(\.remotes).compactMap(\.remote) == [
            GluonRemote(host: "tower.freemesh.ie", port: 10006),
            GluonRemote(host: "cave.freemesh.ie", port: 10006),
        ])
        #expect(site.warnings.isEmpty)
    }

    @Test func ffms2015HasSevenSiblingGroupsOfWhichSixAreEmpty() throws {
        let site = try load("ffms-2015-domaene03-multigroup")
        let domain = try onlyDomain(site)
        #expect(site.siteCode == "ffmsd03")
        #expect(domain.prefix4 == "10.43.24.0/21")
        #expect(domain.prefix6 == "2a03:2260:115:300::/64")
        #expect(site.ntpServers == ["0.de.pool.ntp.org", "1.de.pool.ntp.org", "2.de.pool.ntp.org", "3.de.pool.ntp.org"])
        let fastd = try #require(domain.meshVPN.fastd)
        #expect(fastd.mtu == GluonMTU(value: 1406, layout: .fastdMeshVPN))
        #expect(fastd.methods == ["salsa2012+umac", "salsa2012+gmac"])
        #expect(fastd.groups.map(\.name) == ["domaene_03", "domaene_01", "backbone", "ffmsl_02", "domaene_02", "domaene_04", "domaene_05"])
        #expect(fastd.groups.map(\.peers.count) == [2, 0, 0, 0, 0, 0, 0])
        #expect(fastd.groups.first?.limit == 1)
        #expect(fastd.allPeers.map(\.name) == ["greyworm_03", "remue_02"])
        #expect(fastd.allPeers.flatMap(\.remotes).map(\.text) == [#"ipv4 "89.163.253.62" port 14250"#, #"ipv4 "148.251.208.171" port 14250"#])
        #expect(fastd.allPeers.first?.remotes.first?.remote == GluonRemote(host: "89.163.253.62", port: 14250, family: .ipv4, hostKind: .ipv4Address))
    }

    @Test func ffs2019SetsTheMTUInMeshVPN() throws {
        let site = try load("ffs-2019-meshvpn-mtu")
        let domain = try onlyDomain(site)
        #expect(site.siteCode == "ffs")
        #expect(domain.prefix4 == "172.21.0.0/18")
        #expect(domain.prefix6 == "fd21:711::/64")
        #expect(site.ntpServers == ["fd21:b4dc:4b00::a38:1", "fd21:b4dc:4b00::123:1", "fd21:b4dc:4b00::123:2", "fd21:b4dc:4b00::123:3"])
        #expect(site.domainSeed?.hasPrefix("0711ff") == true)
        #expect(site.domainSeed?.hasSuffix("0711") == true)
        let fastd = try #require(domain.meshVPN.fastd)
        #expect(fastd.mtu == GluonMTU(value: 1340, layout: .meshVPN))
        #expect(fastd.methods == ["salsa2012+umac"])
        #expect(fastd.groups.first?.limit == 1)
        let expectedNames = (1...10).map { String(format: "gw%02d", $0) }
        #expect(fastd.allPeers.map(\.name) == expectedNames)
        #expect(fastd.allPeers.flatMap(\.remotes).compactMap(\.remote) == expectedNames.map { GluonRemote(host: "\($0).gw.freifunk-stuttgart.de", port: 10299) })
    }

    @Test func ffnord2019PairsIPv4AndIPv6Remotes() throws {
        let site = try load("ffnord-2019-ipv4-ipv6-remotes")
        let domain = try onlyDomain(site)
        #expect(site.siteCode == "ffnord")
        #expect(domain.prefix4 == "10.187.0.0/16")
        #expect(domain.prefix6 == "fd42:eb49:c0b5:4242::/64")
        #expect(site.ntpServers == ["fd42:eb49:c0b5:4242::fd03", "fd42:eb49:c0b5:4242::fd04"])
        #expect(site.domainSeed?.hasPrefix("718966") == true)
        // NOTES.md abbreviates this seed as "718966…b8b4"; the file's seed really ends in "ae8b4".
        #expect(site.domainSeed == "718966471108bd550c01001f8a6f609c34507b6b8bcd5672232f5d9acddae8b4")
        let fastd = try #require(domain.meshVPN.fastd)
        #expect(fastd.mtu == GluonMTU(value: 1280, layout: .meshVPN))
        #expect(fastd.methods == ["salsa2012+umac"])
        #expect(fastd.groups.first?.limit == 1)
        let numbers = [0, 1, 2, 3, 4, 5, 6, 20]
        #expect(fastd.allPeers.map(\.name) == numbers.map { "ffnord_vpn\($0)" })
        for (peer, number) in zip(fastd.allPeers, numbers) {
            #expect(peer.remotes.compactMap(\.remote) == [
                GluonRemote(host: "\(number).gw.freifunknord.de", port: 10050, family: .ipv4),
                GluonRemote(host: "\(number).gw.freifunknord.de", port: 10050, family: .ipv6),
            ])
        }
    }

    @Test func ffrn2026MixesSemicolonsAndCommas() throws {
        let site = try load("ffrn-2026-semicolons")
        let domain = try onlyDomain(site)
        #expect(site.siteCode == "ffrn")
        #expect(domain.prefix4 == "10.142.0.0/16")
        #expect(domain.prefix6 == "fdc3:67ce:cc7e:9001::/64")
        #expect(site.ntpServers == ["ntp.ffrn.de", "2.freifunk.pool.ntp.org", "2.de.pool.ntp.org"])
        #expect(site.domainSeed?.hasPrefix("e6346d") == true)
        #expect(site.domainSeed?.hasSuffix("1b97") == true)
        let fastd = try #require(domain.meshVPN.fastd)
        #expect(fastd.mtu == GluonMTU(value: 1312, layout: .meshVPNFastd))
        #expect(fastd.methods == ["null@l2tp", "null"])
        #expect(fastd.groups.first?.limit == 1)
        let expectedNames = (2...9).map { String(format: "gw%02d", $0) }
        #expect(fastd.allPeers.map(\.name) == expectedNames)
        #expect(fastd.allPeers.flatMap(\.remotes).compactMap(\.remote) == expectedNames.map { GluonRemote(host: "\($0).ffrn.de", port: 10000) })
    }

    @Test func ffhb2019IsBabelIPv6OnlyAndWireGuardOnly() throws {
        let site = try load("ffhb-2019-babel-wireguard-ipv6only")
        let domain = try onlyDomain(site)
        #expect(site.siteCode == "ffhb")
        #expect(domain.babelKey == "node_prefix6")
        #expect(domain.config.location(at: ["node_prefix6"])?.line == 6)
        #expect(domain.prefix4 == nil)
        #expect(domain.nextNode.ip4 == nil)
        #expect(domain.prefix6 == "2a06:8782:ffbb:bab1::/64")
        #expect(site.ntpServers == ["2a06:8782:ffbb:bab0::9"])
        #expect(domain.meshVPN.fastd == nil)
        #expect(domain.meshVPN.isWireGuardOnly)
        let wireguard = try #require(domain.meshVPN.wireguard)
        #expect(wireguard.mtu == GluonMTU(value: 1374, layout: .meshVPN))
        #expect(wireguard.groups.map(\.name) == ["backbone"])
        #expect(wireguard.groups.first?.limit == 1)
        #expect(wireguard.allPeers == [GluonWireGuardPeer(
            name: "lwlcomGW", publicKey: "XA7WDD0pzgzxAGHNbbtcuDxxKJiX7x4ZCm/0XBKVOwM=",
            endpoint: "babel-gw-lwlcom.bremen.freifunk.net", brokerPort: 1999)])
    }

    @Test func theAnswerKeyTestsCoverEveryCorpusFile() throws {
        let covered: Set<String> = [
            // single-domain sites (this suite)
            "gluon-example-v2025.1.3.site.conf", "ffmuc-2014-fastd-toplevel-blockcomments.site.conf",
            "fmie-2017-fastd-toplevel-groups.site.conf", "ffms-2015-domaene03-multigroup.site.conf",
            "ffs-2019-meshvpn-mtu.site.conf", "ffnord-2019-ipv4-ipv6-remotes.site.conf",
            "ffrn-2026-semicolons.site.conf", "ffhb-2019-babel-wireguard-ipv6only.site.conf",
            // multidomain sites and their domain files (GluonCorpusMultidomainTests)
            "ffmuc-2024-wireguard-multidomain.site.conf", "ffmuc-ffmuc_welt.domain.conf", "ffmuc-ffmuc_muc_cty.domain.conf",
            "tecff-2022-multidomain.site.conf", "tecff-tecff_legacy.domain.conf", "tecff-tecff_default.domain.conf",
            "ffmwu-2023-multidomain-alias.site.conf", "ffmwu-dom0.domain.conf", "ffmwu-ffmz.domain.conf",
            "ffh-2023-multidomain-compact.site.conf", "ffh-dom10.domain.conf", "ffh-dom0.domain.conf",
        ]
        let present = Set(try CorpusLocator.files(in: "gluon-site", suffix: "").map(\.lastPathComponent))
        #expect(present.subtracting(covered).isEmpty, "corpus files without an answer-key test: \(present.subtracting(covered).sorted())")
        #expect(covered.subtracting(present).isEmpty, "answer-key tests for files missing from the corpus: \(covered.subtracting(present).sorted())")
    }
}
