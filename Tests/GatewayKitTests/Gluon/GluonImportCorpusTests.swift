import Foundation
import Testing
@testable import GatewayKit
@testable import GatewayBase
@testable import GluonKit

/// `gluon import` over every corpus site: the written file loads with SiteLoader, or fails for the documented reason.
@Suite("Gluon import: every corpus site")
struct GluonImportCorpusTests {
    /// Sites whose import cannot load, and the first problem the loader names (the rest load cleanly).
    static let expectedFailures: [String: (line: String, message: String)] = [
        // Gluon's own example is a template: prefixes, seed, next_node, keys and ports are xxx placeholders.
        "gluon-example-v2025.1.3": ("prefix4: 10.xxx.0.0/20  # PLACEHOLDER", "'10.xxx.0.0/20' is not an IPv4 prefix"),
        // Babel: no gateway gwsetup builds meshes with its nodes, so none is imported (its WireGuard peers neither).
        "ffhb-2019-babel-wireguard-ipv6only": ("gateways: []", "'gateways' needs at least one gateway"),
        // WireGuard only: the gateways import, but the node keys live outside site.conf, so the peers source is to create.
        "ffmuc-2024-wireguard-multidomain": ("peers: wireguard-nodes/ffmuc_muc_cty  # PLACEHOLDER", "does not exist"),
    ]

    private func imported(_ name: String) throws -> (GluonSite, GluonImport) {
        let gluon = try GluonCorpusSites.load(name)
        return (gluon, GluonSiteImporter.makeSite(from: gluon, outputName: "\(name).yaml"))
    }

    /// The corpus sites whose import loads: every one but the documented failures.
    static func loadingNames() throws -> [String] { try GluonCorpusSites.allNames().filter { expectedFailures[$0] == nil } }

    @Test(arguments: try GluonCorpusSites.allNames().filter { expectedFailures[$0] != nil })
    func importFailsForTheDocumentedReason(name: String) throws {
        let (_, result) = try imported(name)
        let expected = try #require(Self.expectedFailures[name])
        let errors = try #require(throws: SiteErrors.self) { try SiteLoader.load(yaml: result.yaml, file: "\(name).yaml") }
        let first = try #require(errors.errors.first)
        #expect(first.message.contains(expected.message), "\(first)")
        let line = try #require(first.location?.line)
        #expect(result.yaml.split(separator: "\n", omittingEmptySubsequences: false)[line - 1].contains(expected.line))
        #expect(result.blockingPlaceholderLines.contains(line), "the failing line is a marked placeholder")
        #expect(result.notes.contains { $0.hasPrefix("\(name).yaml:\(line): PLACEHOLDER") })
    }

    @Test(arguments: try loadingNames())
    func importLoads(name: String) throws {
        let (gluon, result) = try imported(name)
        let loaded = try SiteLoader.load(yaml: result.yaml, file: "\(name).yaml")
        #expect(result.blockingPlaceholderLines.isEmpty)
        let site = loaded.site
        #expect(site.identity.code == gluon.siteCode)
        #expect(site.domains.map(\.code) == gluon.domains.map(\.code))
        for (domain, source) in zip(site.domains, gluon.domains) {
            let fastd = try #require(source.meshVPN.fastd)
            #expect(domain.prefix6 == IPv6Network(source.prefix6, strict: false))
            #expect(domain.prefix4 == source.prefix4.flatMap { IPv4Network($0) })
            #expect(domain.mtu == fastd.mtu?.value)
            #expect(domain.fastd.methods == fastd.methods)
            #expect(domain.batman.routingAlgorithm.rawValue == source.routingAlgorithm ?? "BATMAN_IV")
            #expect(domain.domainSeed == source.domainSeed)
            #expect(domain.nextNode?.ipv4 == source.nextNode.ip4.flatMap { IPv4Address($0) })
            #expect(domain.nextNode?.mac == source.nextNode.mac)
            #expect(domain.interfaceName.count <= 11)
            // Every firmware peer is a gateway of the domain, with the firmware's key.
            for peer in fastd.allPeers {
                let gateway = try #require(site.gateway(GluonNames.gatewayName(forPeer: peer.name)), "peer \(peer.name)")
                #expect(gateway.domain(domain.code)?.fastdPublicKey == peer.key)
                #expect(gateway.uplink == "eth0")
            }
            #expect(site.gateways.filter { $0.domain(domain.code) != nil }.count == fastd.allPeers.count)
            #expect(site.firmware(for: domain).ntpServers == (source.ntpServers.isEmpty ? nil : source.ntpServers))
        }
    }

    @Test(arguments: try loadingNames())
    func importThenCheckAgreesExceptWhatOnePortPerDomainCannotSay(name: String) throws {
        let (gluon, result) = try imported(name)
        let loaded = try SiteLoader.load(yaml: result.yaml, file: "\(name).yaml")
        let found = GluonSiteChecker.disagreements(site: loaded, siteFile: "\(name).yaml", gluon: gluon)
        // tecff runs each gateway on its own port: import writes it as the gateway's fastd_port, so check agrees there too.
        #expect(found.isEmpty, "\(found.map(\.description))")
    }

    @Test func tecffLongCodesGetShortUniqueInterfaceNamesAndGatewaysJoinAcrossDomains() throws {
        let (_, result) = try imported("tecff-2022-multidomain")
        let site = try SiteLoader.load(yaml: result.yaml, file: "tecff.yaml").site
        #expect(site.domains.map(\.interfaceName) == ["default", "legacy"])
        #expect(site.gateways.map(\.name) == ["gw0", "gw1", "gw03", "gw04", "gw05", "gw06"])
        let gw0 = try #require(site.gateway("gw0"))
        #expect(gw0.domains.map(\.code) == ["tecff_default", "tecff_legacy"])
        #expect(gw0.publicHost == "fastd07.tecff.de")
        #expect(gw0.domain("tecff_legacy")?.fastdPublicKey == "13f62f9cda6876a55378445121e845fd7306a5e2473d3a2f13118eb5631db5ed")
        // Bridge addresses skip the next_node address (.1) and count from the gateway's place in the site.
        #expect(gw0.domain("tecff_legacy")?.ipv4?.description == "10.120.0.2")
        #expect(gw0.domain("tecff_legacy")?.ipv6.description == "fdef:ffc0:4ffa::2")
        #expect(site.gateway("gw06")?.domain("tecff_legacy")?.ipv4?.description == "10.120.0.7")
        #expect(site.domain("tecff_legacy")?.fastd.port == 10011)
        #expect(site.domain("tecff_default")?.nextNode == NextNode(ipv4: IPv4Address("10.120.192.1"), ipv6: IPv6Address("fdef:ffc0:4ffa:192::1"), mac: "16:41:95:40:f7:ad"))
        #expect(site.gateway("gw03")?.domain("tecff_legacy")?.fastdPort == 10013)
        #expect(result.yaml.contains("fastd_port: 10013  # the firmware reaches gw03 on this port in this domain"))
        #expect(result.yaml.contains("uplink: eth0  # PLACEHOLDER:"))
        #expect(result.yaml.contains("# PLACEHOLDER: how gwsetup logs in"))
    }

    /// Issue 23.4: tecff lists fastd07 under two peer names; import warns before two gateways log into one host.
    @Test func twoGatewaysSharingAnSSHTargetAreWarnedAbout() throws {
        let (_, result) = try imported("tecff-2022-multidomain")
        let warnings = result.notes.filter { $0.hasPrefix("warning: gateways ") }
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("'gw0' (fastd peer gw0 at ") == true && warnings.first?.contains("share the SSH target root@fastd07.tecff.de") == true, "\(warnings)")
        let (_, single) = try imported("ffrn-2026-semicolons")
        #expect(!single.notes.contains { $0.hasPrefix("warning: gateways ") })
    }

    @Test func legacyLayoutAndSemicolonSitesKeepMethodsLimitAndPeerNames() throws {
        let (_, old) = try imported("ffmuc-2014-fastd-toplevel-blockcomments")
        let ffm = try SiteLoader.load(yaml: old.yaml, file: "ffm.yaml").site
        #expect(ffm.domains[0].mtu == 1426 && ffm.domains[0].fastd.methods == ["salsa2012+gmac"] && ffm.domains[0].fastd.port == 10000)
        #expect(ffm.gateways.map(\.name) == ["vpn-gw01", "vpn-gw02", "vpn-gw04"])
        #expect(ffm.firmware.backboneLimit == 2)
        #expect(old.yaml.contains("- name: vpn-gw01  # fastd peer vpn_gw01"))

        let (_, ffrn) = try imported("ffrn-2026-semicolons")
        #expect(try SiteLoader.load(yaml: ffrn.yaml, file: "ffrn.yaml").site.domains[0].fastd.methods == ["null@l2tp", "null"])
    }

    @Test func perDomainFirmwareValuesStayWithTheirDomain() throws {
        let (_, result) = try imported("ffmwu-2023-multidomain-alias")
        let site = try SiteLoader.load(yaml: result.yaml, file: "ffmwu.yaml").site
        #expect(site.firmware(for: try #require(site.domain("dom0"))).ntpServers == ["ntp6.ffmwu.org"])
        #expect(site.firmware(for: try #require(site.domain("ffmz"))).ntpServers == ["ntp6.ffmz.org"])
        #expect(site.gateways.count == 8)
        #expect(site.domain("ffmz")?.fastd.port == 10037)
    }

    /// ffhb is Babel (NOTES.md): the one reason named is the mesh protocol, at node_prefix6, and WireGuard goes unmentioned.
    @Test func aBabelSiteSaysBabelInsteadOfWireGuard() throws {
        let (_, result) = try imported("ffhb-2019-babel-wireguard-ipv6only")
        let file = try CorpusLocator.file("gluon-site/ffhb-2019-babel-wireguard-ipv6only.site.conf").path
        #expect(result.notes.filter { !$0.contains("PLACEHOLDER") } == [
            "note: \(file):6:2: domain 'ffhb' meshes with Babel (node_prefix6), not batman-adv; gwsetup builds batman-adv gateways, and Gluon v2025.1 dropped Babel from its core",
        ])
        #expect(!result.notes.contains { $0.contains("WireGuard") }, "\(result.notes)")
        #expect(result.yaml.contains("# Babel (node_prefix6), not batman-adv") && !result.yaml.contains("WireGuard"))
    }

    @Test func interfaceStemsFitLinuxAndStayUniqueForEveryTecffDomain() {
        let codes = ["tecff_altdorf_ndb", "tecff_bad_griesbach", "tecff_default", "tecff_dingolfing_landau", "tecff_event",
                     "tecff_landshut_innenstadt", "tecff_landshut_landkreis", "tecff_landshut_stadt", "tecff_legacy",
                     "tecff_muehldorf", "tecff_oberbayern", "tecff_passau"]
        let stems = GluonNames.interfaceStems(for: codes, siteCode: "tecff")
        let names = codes.map { stems[$0] ?? $0 }
        #expect(stems.keys.sorted() == codes.filter { $0.count > 11 }, "only codes too long for br-/bat-/vpn- get a stem")
        #expect(Set(names).count == codes.count)
        #expect(names.allSatisfy { $0.count <= 11 && $0.first!.isLetter })
        #expect(stems["tecff_landshut_innenstadt"] == "lands_innen")
        #expect(stems["tecff_passau"] == "passau")
        // Codes that already fit keep their own name, and shortened ones never take it.
        let mixed = GluonNames.interfaceStems(for: ["lands_innen", "xx_landshut_innenstadt"], siteCode: "xx")
        #expect(mixed == ["xx_landshut_innenstadt": "lands_inne2"])
    }

    /// corpus/NOTES.md, as the imported site file holds it.
    @Test(arguments: [
        ("ffmuc-2014-fastd-toplevel-blockcomments", 1426, ["salsa2012+gmac"], 10000, ["vpn-gw01", "vpn-gw02", "vpn-gw04"], 2),
        ("fmie-2017-fastd-toplevel-groups", 1350, ["salsa2012+umac"], 10006, ["tower", "cave"], 2),
        ("ffms-2015-domaene03-multigroup", 1406, ["salsa2012+umac", "salsa2012+gmac"], 14250, ["greyworm-03", "remue-02"], 1),
        ("ffs-2019-meshvpn-mtu", 1340, ["salsa2012+umac"], 10299, (1...10).map { String(format: "gw%02d", $0) }, 1),
        ("ffnord-2019-ipv4-ipv6-remotes", 1280, ["salsa2012+umac"], 10050, (0...6).map { "ffnord-vpn\($0)" } + ["ffnord-vpn20"], 1),
        ("ffrn-2026-semicolons", 1312, ["null@l2tp", "null"], 10000, (2...9).map { "gw0\($0)" }, 1),
    ])
    func singleDomainImportsMatchTheAnswerKey(name: String, mtu: Int, methods: [String], port: Int, gateways: [String], limit: Int) throws {
        let (_, result) = try imported(name)
        let site = try SiteLoader.load(yaml: result.yaml, file: "\(name).yaml").site
        #expect(site.domains.count == 1)
        #expect(site.domains[0].mtu == mtu)
        #expect(site.domains[0].fastd.methods == methods)
        #expect(site.domains[0].fastd.port == port)
        #expect(site.gateways.map(\.name) == gateways)
        #expect(site.firmware.backboneLimit == limit)
    }

    @Test func multidomainImportsMatchTheAnswerKey() throws {
        let ffh = try SiteLoader.load(yaml: try imported("ffh-2023-multidomain-compact").1.yaml, file: "ffh.yaml").site
        #expect(ffh.domains.map(\.code) == ["dom0", "dom10"])
        #expect(ffh.domains.map(\.mtu) == [1394, 1394])
        #expect(ffh.domains.map(\.fastd.port) == [10000, 10010])
        #expect(ffh.domains.map { $0.prefix4?.description } == ["10.2.0.0/16", "10.10.0.0/16"])
        #expect(ffh.gateways.map(\.name) == (1...10).map { String(format: "sn%02d", $0) })
        #expect(ffh.gateways.allSatisfy { $0.domains.count == 2 })
        let ffmwu = try SiteLoader.load(yaml: try imported("ffmwu-2023-multidomain-alias").1.yaml, file: "ffmwu.yaml").site
        #expect(ffmwu.domains.map(\.mtu) == [1406, 1406])
        #expect(ffmwu.gateways.map(\.name) == ["ingwer", "wasserfloh", "lotuswurzel", "uffschnitt", "mate", "chili", "sparegate2", "sparegate3"])
    }
}
