import Foundation
import Testing
@testable import GatewayKit
@testable import GluonKit
import TestSupport

/// export → check round trips without a disagreement, and every field changed in the firmware is reported where it was changed.
@Suite("Gluon export and check")
struct GluonExportCheckTests {
    static let keyA = String(repeating: "a1", count: 32)
    static let keyB = String(repeating: "b2", count: 32)
    static let keyC = String(repeating: "c3", count: 32)
    static let keyD = String(repeating: "d4", count: 32)

    static let siteYAML = """
        site: {code: ffy, name: Freifunk Zweistadt}
        firmware: {ntp_servers: [ntp.ffy.example], backbone_limit: 2}
        domains:
          - code: city
            prefix4: 10.40.0.0/16
            prefix6: "fd40:aaaa:bbbb:1::/64"
            mtu: 1312
            domain_seed: \(String(repeating: "5e", count: 32))
            next_node: {ipv4: 10.40.0.10, ipv6: "fd40:aaaa:bbbb:1::10", mac: "16:41:95:40:f7:dc"}
            fastd: {port: 10001, methods: [salsa2012+umac, "null"]}
          - code: rural
            prefix4: 10.41.0.0/18
            prefix6: "fd40:aaaa:bbbb:2::/64"
            mtu: 1406
            fastd: {port: 10002, methods: [salsa2012+umac]}
            batman: {routing_algo: BATMAN_V}
            firmware: {dns_servers: ["fd40:aaaa:bbbb:2::53"]}
        gateways:
          - name: gw1
            ssh: root@gw1.ffy.example
            addresses:
              city: {ipv4: 10.40.0.1, ipv6: "fd40:aaaa:bbbb:1::1", fastd_public_key: \(keyA)}
              rural: {ipv4: 10.41.0.1, ipv6: "fd40:aaaa:bbbb:2::1", fastd_public_key: \(keyB)}
          - name: gw2
            ssh: local
            public_host: 192.0.2.2
            addresses:
              city: {ipv4: 10.40.0.2, ipv6: "fd40:aaaa:bbbb:1::2", fastd_public_key: \(keyC)}
              rural: {ipv4: 10.41.0.2, ipv6: "fd40:aaaa:bbbb:2::2", fastd_public_key: \(keyD)}
        """

    let loaded: LoadedSite
    let texts: [String: String]

    init() throws {
        loaded = try SiteLoader.load(yaml: Self.siteYAML, file: "site.yaml")
        texts = Dictionary(uniqueKeysWithValues: try GluonExporter.fragments(for: loaded.site).map { ($0.file, LuaTablePrinter().print($0.table)) })
    }

    /// Parses exported (possibly edited) texts back as a Gluon site, the way a node's build would read them.
    static func firmware(_ texts: [String: String]) throws -> GluonSite {
        let site = try LuaTableParser.parse(try #require(texts["site.conf"]), file: "site.conf")
        let domains = try texts.keys.filter { $0.hasPrefix("domains/") }.sorted().map { file in
            (code: String(file.dropFirst("domains/".count).dropLast(".conf".count)), document: try LuaTableParser.parse(texts[file]!, file: file))
        }
        return try GluonSiteLoader.assemble(site: site, domains: domains)
    }

    func check(_ texts: [String: String], keys: GluonKeys? = nil) throws -> [GluonDisagreement] {
        GluonSiteChecker.disagreements(site: loaded, siteFile: "site.yaml", gluon: try Self.firmware(texts), keys: keys)
    }

    @Test func exportedFragmentsAgreeWithTheSite() throws {
        #expect(texts.keys.sorted() == ["domains/city.conf", "domains/rural.conf", "site.conf"])
        #expect(try check(texts).isEmpty)
        let city = try #require(texts["domains/city.conf"])
        #expect(city.contains("gw1 = {\n              key = '\(Self.keyA)',\n              remotes = { '\"gw1.ffy.example\" port 10001' },"))
        #expect(city.contains("remotes = { '192.0.2.2:10001' }"), "an address public_host is written the way fastd reads addresses")
        #expect(city.contains("limit = 2,"))
        #expect(city.contains("ntp_servers = { 'ntp.ffy.example' }"))
        let rural = try #require(texts["domains/rural.conf"])
        #expect(rural.contains("servers = { 'fd40:aaaa:bbbb:2::53' }"))
        #expect(rural.contains("routing_algo = 'BATMAN_V'"))
    }

    @Test func singleDomainSiteExportsOneSiteConfThatAgrees() throws {
        let gluon = try GluonCorpusSites.load("ffs-2019-meshvpn-mtu")
        let site = try SiteLoader.load(yaml: GluonSiteImporter.makeSite(from: gluon).yaml, file: "ffs.yaml")
        let fragments = try GluonExporter.fragments(for: site.site)
        #expect(fragments.map(\.file) == ["site.conf"])
        let text = LuaTablePrinter().print(fragments[0].table)
        let reread = try GluonSiteLoader.assemble(site: try LuaTableParser.parse(text, file: "site.conf"), domains: [])
        #expect(GluonSiteChecker.disagreements(site: site, siteFile: "ffs.yaml", gluon: reread).isEmpty)
        #expect(reread.domains[0].meshVPN.fastd?.allPeers.count == 10)
        // ffs's site.conf sets no dns.servers, so nodes are sent to the gateways' IPv6 mesh addresses.
        #expect(reread.domains[0].dnsServers == (2...11).map { "fd21:711::\(String($0, radix: 16))" })
        #expect(reread.domains[0].ntpServers == gluon.ntpServers)
    }

    @Test(arguments: try GluonCorpusSites.allNames().filter { GluonImportCorpusTests.expectedFailures[$0] == nil })
    func everyImportedCorpusSiteExportsFragmentsThatAgreeWithIt(name: String) throws {
        let site = try SiteLoader.load(yaml: GluonSiteImporter.makeSite(from: try GluonCorpusSites.load(name)).yaml, file: "\(name).yaml")
        let texts = Dictionary(uniqueKeysWithValues: try GluonExporter.fragments(for: site.site).map { ($0.file, LuaTablePrinter().print($0.table)) })
        let found = GluonSiteChecker.disagreements(site: site, siteFile: "\(name).yaml", gluon: try Self.firmware(texts))
        #expect(found.isEmpty, "\(found.map(\.description))")
    }

    @Test func withoutFirmwareSettingsNodesAreSentToTheGatewaysMeshAddresses() throws {
        let plain = try SiteLoader.load(path: TestPaths.example("two-domains.yaml"))
        let keys = try GluonKeys.parse("gw1 city \(Self.keyA)\ngw2 city \(Self.keyB)\ngw1 rural \(Self.keyC)\ngw2 rural \(Self.keyD)\n", file: "keys")
        let fragments = try GluonExporter.fragments(for: plain.site, keys: keys)
        let city = try #require(fragments.first { $0.file == "domains/city.conf" }).table
        #expect(city.value(atDottedPath: "ntp_servers") == ["fd40:aaaa:bbbb:1::1", "fd40:aaaa:bbbb:1::2"])
        #expect(city.value(atDottedPath: "dns.servers") == ["fd40:aaaa:bbbb:1::1", "fd40:aaaa:bbbb:1::2"])
        #expect(city.value(atDottedPath: "mesh_vpn.fastd.groups.backbone.limit") == 1)
        #expect(city.value(atDottedPath: "mesh_vpn.fastd.groups.backbone.peers.gw2.key") == .string(Self.keyB))
    }

    /// Changes `old` to `new` (first occurrence) in one file; returns the texts and the 1-based line of the change.
    func edit(_ file: String, _ old: String, _ new: String) throws -> ([String: String], Int) {
        var copy = texts
        let text = try #require(copy[file])
        let range = try #require(text.range(of: old), "'\(old)' not in \(file)")
        copy[file] = text.replacingCharacters(in: range, with: new)
        return (copy, text[..<range.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).count)
    }

    @Test(arguments: [
        ("mtu = 1312", "mtu = 1394", "mtu", "1312", "1394"),
        ("'salsa2012+umac', 'null'", "'null', 'salsa2012+umac'", "methods (order)", "salsa2012+umac, null", "null, salsa2012+umac"),
        ("'salsa2012+umac', 'null'", "'salsa2012+gmac', 'null'", "methods", "salsa2012+umac, null", "salsa2012+gmac, null"),
        ("prefix4 = '10.40.0.0/16'", "prefix4 = '10.42.0.0/16'", "prefix4", "10.40.0.0/16", "10.42.0.0/16"),
        ("prefix6 = 'fd40:aaaa:bbbb:1::/64'", "prefix6 = 'fd40:aaaa:bbbb:9::/64'", "prefix6", "fd40:aaaa:bbbb:1::/64", "fd40:aaaa:bbbb:9::/64"),
        ("ip4 = '10.40.0.10'", "ip4 = '10.40.0.11'", "next_node.ipv4", "10.40.0.10", "10.40.0.11"),
        ("mac = '16:41:95:40:f7:dc'", "mac = '16:41:95:40:f7:dd'", "next_node.mac", "16:41:95:40:f7:dc", "16:41:95:40:f7:dd"),
        ("routing_algo = 'BATMAN_IV'", "routing_algo = 'BATMAN_V'", "routing_algo", "BATMAN_IV", "BATMAN_V"),
        ("limit = 2", "limit = 1", "backbone limit", "2", "1"),
        ("port 10001", "port 10009", "fastd port", "10001", "10009 (\"gw1.ffy.example\" port 10009)"),
        ("key = '\(keyA)'", "key = '\(keyB)'", "key", keyA, keyB),
    ])
    func eachChangedFirmwareValueIsReportedWhereItWasChanged(old: String, new: String, field: String, siteValue: String, firmwareValue: String) throws {
        let (edited, line) = try edit("domains/city.conf", old, new)
        let found = try check(edited)
        #expect(found.count == 1, "\(found.map(\.description))")
        let disagreement = try #require(found.first)
        #expect(disagreement.domain == "city")
        #expect(disagreement.field == field)
        #expect(disagreement.site == siteValue)
        #expect(disagreement.firmware == firmwareValue)
        #expect(disagreement.firmwareLocation?.hasPrefix("domains/city.conf:\(line):") == true, "\(disagreement)")
        #expect(disagreement.siteLocation?.hasPrefix("site.yaml:") == true)
        #expect(disagreement.description.contains("\(field): site \(siteValue) (site.yaml:"))
    }

    @Test func siteSideLocationsPointAtTheValueToChange() throws {
        let found = try check(try edit("domains/city.conf", "mtu = 1312", "mtu = 1394").0)
        #expect(found.first?.siteLocation == "site.yaml:7:10")
        let key = try check(try edit("domains/city.conf", "key = '\(Self.keyA)'", "key = '\(Self.keyB)'").0)
        #expect(key.first?.gateway == "gw1")
        #expect(key.first?.siteLocation == "site.yaml:22:78")
    }

    @Test func aMissingGatewayIsReportedFromBothSides() throws {
        let (edited, line) = try edit("domains/rural.conf", "gw2 = {", "gw9 = {")
        let found = try check(edited)
        #expect(found.map(\.field) == ["gateway", "gateway"])
        #expect(found.map(\.gateway) == ["gw9", "gw2"])
        #expect(found[0].site == "(no such gateway)" && found[0].firmwareLocation?.hasPrefix("domains/rural.conf:\(line + 1):") == true)
        #expect(found[1].site == "serves domain 'rural'" && found[1].siteLocation == "site.yaml:29:7")
    }

    @Test func domainsOnOneSideOnlyAndWireGuardOnlyDomainsAreReported() throws {
        var fewer = texts
        fewer["domains/rural.conf"] = nil
        let found = try check(fewer)
        #expect(found.map(\.description) == ["domain 'rural': domain: site serves domain 'rural' (site.yaml:11:11), firmware (no such domain)"])

        var wireguard = texts
        wireguard["domains/city.conf"] = try edit("domains/city.conf", "fastd = {", "wireguard = { mtu = 1406 }, fastd_off = {").0["domains/city.conf"]
        let wg = try check(wireguard)
        // A WireGuard-only firmware against a site without wireguard: one line, naming that nodes have no fastd either.
        #expect(wg.map(\.field) == ["wireguard"])
        #expect(wg.first?.site == "(not set)" && wg.first?.firmware == "0 peer(s), no fastd")
    }

    /// A domain file that carries node_prefix6 makes that domain Babel: one line from check and from import, WireGuard or not.
    @Test func aBabelDomainIsOneMeshDisagreementAndOneImportNote() throws {
        let (babel, line) = try edit("domains/city.conf", "domain_seed = ", "node_prefix6 = 'fd40:aaaa:bbbb:9::/64', domain_seed = ")
        let wireguard = try edit("domains/city.conf", "fastd = {", "wireguard = { mtu = 1406 }, fastd_off = {").0["domains/city.conf"]
        var babelWireGuard = babel
        babelWireGuard["domains/city.conf"] = wireguard?.replacingOccurrences(of: "domain_seed = ", with: "node_prefix6 = 'fd40:aaaa:bbbb:9::/64', domain_seed = ")
        for texts in [babel, babelWireGuard] {
            let found = try check(texts)
            #expect(found.map(\.field) == ["mesh"], "\(found.map(\.description))")
            #expect(found.first?.domain == "city" && found.first?.site == "batman-adv")
            #expect(found.first?.firmware == "Babel (node_prefix6), which gwsetup does not build")
            #expect(found.first?.firmwareLocation?.hasPrefix("domains/city.conf:\(line):") == true, "\(found)")
            let notes = GluonSiteImporter.makeSite(from: try Self.firmware(texts)).notes.filter { $0.contains("Babel") || $0.contains("WireGuard") }
            #expect(notes.count == 1 && notes.first?.hasPrefix("note: domains/city.conf:\(line):") == true, "\(notes)")
            #expect(notes.first?.contains("domain 'city' meshes with Babel (node_prefix6), not batman-adv") == true)
        }
    }

    @Test func aKeysFileWinsOverTheSiteForExportAndCheck() throws {
        let keys = try GluonKeys.parse("# from apply\ngw1 city \(Self.keyD)  # rotated\n", file: "keys.txt")
        let fragments = try GluonExporter.fragments(for: loaded.site, keys: keys)
        let city = try #require(fragments.first { $0.file == "domains/city.conf" }).table
        #expect(city.value(atDottedPath: "mesh_vpn.fastd.groups.backbone.peers.gw1.key") == .string(Self.keyD))
        let found = try check(texts, keys: keys)
        #expect(found.count == 1)
        #expect(found.first?.siteLocation == "keys.txt:2:1" && found.first?.site == Self.keyD && found.first?.firmware == Self.keyA)
    }

    @Test func exportNeverInventsAKey() throws {
        let yaml = Self.siteYAML.replacingOccurrences(of: ", fastd_public_key: \(Self.keyC)", with: "")
            .replacingOccurrences(of: ", fastd_public_key: \(Self.keyB)", with: "")
        let site = try SiteLoader.load(yaml: yaml, file: "site.yaml").site
        let error = try #require(throws: GluonExportError.self) { try GluonExporter.fragments(for: site) }
        #expect(error.problems == [
            "gateway 'gw2' has no fastd public key for domain 'city': set gateways[].addresses.city.fastd_public_key in the site or give it in --keys",
            "gateway 'gw1' has no fastd public key for domain 'rural': set gateways[].addresses.rural.fastd_public_key in the site or give it in --keys",
        ])
        let local = yaml.replacingOccurrences(of: "    public_host: 192.0.2.2\n", with: "")
        let noHost = try #require(throws: GluonExportError.self) {
            try GluonExporter.fragments(for: try SiteLoader.load(yaml: local, file: "site.yaml").site,
                                        keys: try GluonKeys.parse("gw2 city \(Self.keyC)\ngw1 rural \(Self.keyB)", file: "k"))
        }
        #expect(noHost.problems.allSatisfy { $0.hasPrefix("gateway 'gw2' is 'local' and has no public_host") } && noHost.problems.count == 2)
    }
}
