import Foundation
import Testing
@testable import GatewayKit
@testable import GatewayBase
@testable import GluonKit
import TestSupport

/// Issue 24.2: `mesh_vpn.wireguard` in Gluon's upstream schema (check_site.lua: peers NAME = {public_key, endpoint}, mtu)
/// imports into `domains[].wireguard` and gateways, exports back so Lua 5.1 reads the same values, and check compares them.
@Suite("Gluon WireGuard: import, export, check")
struct GluonWireGuardInteropTests {
    static let key1 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    static let key2 = "KCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4/QEFCQ0RFRkc="
    static let key3 = "UFFSU1RVVldYWVpbXF1eX2BhYmNkZWZnaGlqa2xtbm8="
    static let seed = String(repeating: "7c", count: 32)

    /// docs/user/site.rst's `mesh_vpn.wireguard` example, its XXX keys replaced by real ones; `fastd` adds the same
    /// page's peer1 and peer2, which reach the same hosts as vpn1 and vpn2.
    static func siteConf(fastd: Bool, wireguardPeers: String? = nil) -> String {
        let fastdSection = !fastd ? "" : """
              fastd = {
                mtu = 1312,
                methods = {'salsa2012+umac'},
                groups = {
                  backbone = {
                    limit = 1,
                    peers = {
                      peer1 = {
                        key = '\(String(repeating: "a1", count: 32))',
                        remotes = {
                          'ipv4 "vpn1.alpha-centauri.freifunk.net" port 10000',
                          'ipv4 "vpn1.alpha-centauri-freifunk.de" port 10000',
                        },
                      },
                      peer2 = {
                        key = '\(String(repeating: "b2", count: 32))',
                        remotes = {'"vpn2.alpha-centauri.freifunk.net" port 10000'},
                      },
                    },
                  },
                },
              },

        """
        let peers = wireguardPeers ?? """
                  vpn1 = {
                    public_key = '\(key1)',
                    endpoint = 'vpn1.alpha-centauri.freifunk.net:51810',
                  },
                  vpn2 = {
                    public_key = '\(key2)',
                    endpoint = 'vpn2.alpha-centauri.freifunk.net:51810',
                  },
        """
        return """
            {
              site_code = 'ffxx',
              site_name = 'Alpha Centauri',
              prefix4 = '10.130.0.0/20',
              prefix6 = 'fd42:130::/64',
              domain_seed = '\(seed)',
              ntp_servers = {'1.ntp.services.ffxx'},
              mesh_vpn = {
            \(fastdSection)
                wireguard = {
                  mtu = 1376,
                  peers = {
            \(peers)
                  },
                },
              },
            }

            """
    }

    static func gluon(_ text: String, file: String = "site.conf") throws -> GluonSite {
        try GluonSiteLoader.assemble(site: try LuaTableParser.parse(text, file: file), domains: [])
    }

    /// Writes the imported file into a fresh folder with the peers source it names, as the admin would, and loads it.
    static func load(_ result: GluonImport, sources: [String]) throws -> LoadedSite {
        let directory = try Shell.temporaryDirectory()
        for source in sources { try FileManager.default.createDirectory(atPath: directory + "/" + source, withIntermediateDirectories: true) }
        try result.yaml.write(toFile: directory + "/site.yaml", atomically: true, encoding: .utf8)
        return try SiteLoader.load(yaml: result.yaml, file: directory + "/site.yaml")
    }

    /// The lines Lua 5.1 sees for a site.conf text, with Tests/oracle/gluon-site-dump.lua.
    static func dump(_ text: String) throws -> [String] {
        let directory = try Shell.temporaryDirectory()
        try text.write(toFile: directory + "/site.conf", atomically: true, encoding: .utf8)
        return try GluonOracle.dump(directory)
    }

    @Test func theDocumentedWireGuardOnlySiteImportsExportsAndChecksRoundTrip() throws {
        let original = Self.siteConf(fastd: false)
        let gluon = try Self.gluon(original)
        let result = GluonSiteImporter.makeSite(from: gluon, outputName: "site.yaml")
        #expect(result.yaml.contains("wireguard:\n      port: 51810  # from the firmware's endpoints\n      mtu: 1376"), "\(result.yaml)")
        let placeholder = result.notes.filter { $0.contains("PLACEHOLDER peers") }
        #expect(placeholder.count == 1 && placeholder[0].contains("fill it with the node keys"), "\(result.notes)")
        #expect(!result.notes.contains { $0.contains("does not provide WireGuard") })

        let loaded = try Self.load(result, sources: ["wireguard-nodes/ffxx"])
        let site = loaded.site
        let wireguard = try #require(site.domains[0].wireguard)
        #expect(wireguard.port == 51810 && wireguard.mtu == 1376 && wireguard.peersSource == "wireguard-nodes/ffxx")
        #expect(site.gateways.map(\.name) == ["vpn1", "vpn2"])
        #expect(site.gateways.map { $0.wireguardPublicKey?.base64 } == [Self.key1, Self.key2])
        #expect(site.gateways.map(\.publicHost) == ["vpn1.alpha-centauri.freifunk.net", "vpn2.alpha-centauri.freifunk.net"])

        let fragments = try GluonExporter.fragments(for: site)
        let exported = GluonExporter.render(fragments, siteName: site.identity.name)
        #expect(!exported.contains("fastd"), "a WireGuard-only firmware stays WireGuard-only: \(exported)")
        let wireguardLines = { (lines: [String]) in lines.filter { $0.hasPrefix("wireguard ") || $0.hasPrefix("wgpeer ") } }
        let exportedLines = wireguardLines(try Self.dump(exported))
        #expect(exportedLines == wireguardLines(try Self.dump(original)))
        #expect(exportedLines == [
            "wireguard mtu 1376",
            "wgpeer vpn1 public_key \"\(Self.key1)\" endpoint \"vpn1.alpha-centauri.freifunk.net:51810\"",
            "wgpeer vpn2 public_key \"\(Self.key2)\" endpoint \"vpn2.alpha-centauri.freifunk.net:51810\"",
        ])
        let back = try Self.gluon(exported)
        #expect(GluonSiteChecker.disagreements(site: loaded, siteFile: "site.yaml", gluon: back).map(\.description) == [])
        #expect(GluonSiteChecker.disagreements(site: loaded, siteFile: "site.yaml", gluon: gluon).map(\.description) == [])
    }

    @Test func aGatewayThatIsBothAFastdAndAWireGuardPeerKeepsBothNames() throws {
        let original = Self.siteConf(fastd: true)
        let gluon = try Self.gluon(original)
        let result = GluonSiteImporter.makeSite(from: gluon, outputName: "site.yaml")
        let loaded = try Self.load(result, sources: ["wireguard-nodes/ffxx"])
        let site = loaded.site
        #expect(site.gateways.map(\.name) == ["peer1", "peer2"], "vpn1 and vpn2 reach the fastd peers' hosts, so they are the same gateways")
        #expect(site.gateways.map(\.gluonWireGuardPeer) == ["vpn1", "vpn2"])
        #expect(site.gateways.map { $0.wireguardPublicKey?.base64 } == [Self.key1, Self.key2])
        #expect(site.gateways.map { $0.domain("ffxx")?.fastdPublicKey } == [String(repeating: "a1", count: 32), String(repeating: "b2", count: 32)])

        let exported = GluonExporter.render(try GluonExporter.fragments(for: site), siteName: "x")
        #expect(try Self.dump(exported) == (try Self.dump(original)), "Lua 5.1 sees the same fastd and WireGuard values")
        #expect(GluonSiteChecker.disagreements(site: loaded, siteFile: "site.yaml", gluon: try Self.gluon(exported)).isEmpty)
    }

    @Test func checkNamesEveryWireGuardDifferenceOnItsOwnLine() throws {
        let original = Self.siteConf(fastd: false)
        let loaded = try Self.load(GluonSiteImporter.makeSite(from: try Self.gluon(original)), sources: ["wireguard-nodes/ffxx"])
        let changed = Self.siteConf(fastd: false, wireguardPeers: """
                  vpn1 = {
                    public_key = '\(Self.key3)',
                    endpoint = 'vpn1.alpha-centauri.freifunk.net:51811',
                  },
                  vpn9 = {
                    public_key = '\(Self.key2)',
                    endpoint = 'vpn9.alpha-centauri.freifunk.net:51810',
                  },
        """).replacingOccurrences(of: "mtu = 1376", with: "mtu = 1350")
        let found = GluonSiteChecker.disagreements(site: loaded, siteFile: "site.yaml", gluon: try Self.gluon(changed))
            .map { $0.description.replacingOccurrences(of: #"/[^ (]*/site\.yaml"#, with: "site.yaml", options: .regularExpression) }
        #expect(found == [
            "domain 'ffxx': wireguard mtu: site 1376 (site.yaml:18:12), firmware 1350 (site.conf:11:7)",
            "domain 'ffxx', gateway 'vpn1': wireguard key: site \(Self.key1) (site.yaml:31:27), firmware \(Self.key3) (site.conf:14:13)",
            "domain 'ffxx', gateway 'vpn1': wireguard endpoint: site vpn1.alpha-centauri.freifunk.net:51810 (site.yaml:17:13), firmware vpn1.alpha-centauri.freifunk.net:51811 (site.conf:15:13)",
            "domain 'ffxx', gateway 'vpn9': wireguard peer: site (no such gateway), firmware WireGuard peer 'vpn9' (site.conf:18:13)",
            "domain 'ffxx', gateway 'vpn2': wireguard peer: site serves domain 'ffxx' over WireGuard (site.yaml:45:7), firmware (not listed: nodes never connect to it) (site.conf:12:7)",
        ], "\(found)")
    }

    @Test func exportRefusesAWireGuardGatewayWithoutKeyTheWayItDoesForFastd() throws {
        let result = GluonSiteImporter.makeSite(from: try Self.gluon(Self.siteConf(fastd: false)))
        var site = try Self.load(result, sources: ["wireguard-nodes/ffxx"]).site
        site.gateways[1].wireguardPublicKey = nil
        let error = try #require(throws: GluonExportError.self) { try GluonExporter.fragments(for: site) }
        #expect(error.problems == ["gateway 'vpn2' has no WireGuard public key for domain 'ffxx': set gateways[].wireguard_public_key (apply prints it as 'wireguard public key of vpn2')"])
    }

    /// Gluon's own example keeps its XXX keys: they are placeholders at the key's line, not values.
    @Test func theDocumentationsXXXKeysArePlaceholdersAtTheirLine() throws {
        let text = Self.siteConf(fastd: false).replacingOccurrences(of: Self.key1, with: String(repeating: "X", count: 43) + "=")
        let result = GluonSiteImporter.makeSite(from: try Self.gluon(text))
        let note = try #require(result.notes.first { $0.contains("PLACEHOLDER wireguard_public_key") })
        #expect(note.contains("site.conf:14:13: the firmware's key is not a WireGuard public key"), "\(note)")
        #expect(!result.yaml.contains("XXXX"))
    }

    /// gwsetup reads mesh_vpn.wireguard now, so a wrong type there stops the import at its position, as Gluon's check does.
    @Test func aWrongTypeInWireGuardIsAnErrorAtItsPosition() throws {
        let text = Self.siteConf(fastd: false).replacingOccurrences(of: "mtu = 1376", with: "mtu = 'big'")
        let error = try #require(throws: GluonSiteError.self) { try Self.gluon(text) }
        #expect(error.description.contains("site.conf:11:7") && error.description.contains("mesh_vpn.wireguard.mtu must be an integer"), "\(error)")
    }

    static let hostile: [(field: String, value: String)] = [
        ("public_key", "\(key1)\\nreboot"),
        ("public_key", "$(reboot)"),
        ("endpoint", "-oProxyCommand=x:1"),
        ("endpoint", "\\27]0;pwned\\7host:1"),
        ("public_key", String(repeating: "A", count: 1 << 20)),
        ("endpoint", String(repeating: "b", count: 1 << 20) + ":1"),
    ]

    @Test(arguments: 0..<hostile.count)
    func hostileKeysAndEndpointsAreNotedByPositionAndNeverEchoed(index: Int) throws {
        let (field, value) = Self.hostile[index]
        let original = field == "public_key" ? Self.key1 : "vpn1.alpha-centauri.freifunk.net:51810"
        let text = Self.siteConf(fastd: false).replacingOccurrences(of: "'\(original)'", with: "'\(value)'")
        let line = field == "public_key" ? "site.conf:14:" : "site.conf:15:"
        let gluon: GluonSite
        do { gluon = try Self.gluon(text) } catch {
            // Refused by the reader at the value's position, without the value.
            let message = "\(error)"
            #expect(message.contains(line) && !message.contains("reboot") && !message.contains("pwned") && message.count < 400, "\(Echo.quoted(message, limit: 300))")
            return
        }
        let result = GluonSiteImporter.makeSite(from: gluon)
        #expect(result.notes.contains { $0.contains(line) }, "\(result.notes.map { Echo.quoted($0, limit: 300) })")
        for note in result.notes {
            #expect(!note.unicodeScalars.contains(where: Echo.isControl) && note.count < 600, "\(Echo.quoted(note, limit: 300))")
            #expect(!note.contains("reboot") && !note.contains("Proxy") && !note.contains("pwned") && !note.contains("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA") && !note.contains("bbbbbbbb"))
        }
        #expect(!result.yaml.contains("reboot") && !result.yaml.contains("Proxy") && !result.yaml.contains("pwned") && result.yaml.count < 20_000)
        let loaded = try Self.load(GluonSiteImporter.makeSite(from: try Self.gluon(Self.siteConf(fastd: false))), sources: ["wireguard-nodes/ffxx"])
        for line in GluonSiteChecker.disagreements(site: loaded, siteFile: "site.yaml", gluon: gluon).map(\.description) {
            #expect(!line.contains("reboot") && !line.contains("Proxy") && !line.contains("pwned") && line.count < 600, "\(Echo.quoted(line, limit: 300))")
        }
    }
}

/// München's wgkex flavour from the corpus, against corpus/NOTES.md: ffmuc_welt and ffmuc_muc_cty each list gw04…gw07
/// (ports 40011 and 40002, WireGuard mtu 1406) as a positional list with publickey, endpoint and link_address, and a broker.
@Suite("Gluon WireGuard: München's wgkex flavour from the corpus")
struct GluonWgkexCorpusTests {
    let gluon: GluonSite
    let result: GluonImport

    init() throws {
        gluon = try GluonCorpusSites.load("ffmuc-2024-wireguard-multidomain")
        result = GluonSiteImporter.makeSite(from: gluon, outputName: "ffmuc.yaml")
    }

    @Test func gatewaysKeysPortsAndMTUImportAsTheAnswerKeySays() throws {
        let loaded = try GluonWireGuardInteropTests.load(result, sources: ["wireguard-nodes/ffmuc_muc_cty", "wireguard-nodes/ffmuc_welt"])
        let site = loaded.site
        #expect(site.domains.map(\.code) == ["ffmuc_muc_cty", "ffmuc_welt"])
        #expect(site.domains.map { $0.wireguard?.port } == [40002, 40011])
        #expect(site.domains.map { $0.wireguard?.mtu } == [1406, 1406])
        #expect(site.domains.map { $0.domainSeed?.prefix(6) } == ["a2e8fb", "1f0b31"])
        #expect(site.gateways.map(\.name) == ["gw04", "gw05", "gw06", "gw07"])
        #expect(site.gateways.map(\.publicHost) == (4...7).map { "gw0\($0).ext.ffmuc.net" })
        #expect(site.gateways.allSatisfy { $0.domains.map(\.code) == ["ffmuc_muc_cty", "ffmuc_welt"] })
        #expect(site.gateways.first?.wireguardPublicKey?.base64 == "TszFS3oFRdhsJP3K0VOlklGMGYZy+oFCtlaghXJqW2g=")
        #expect(site.gateways.allSatisfy { $0.gluonPeer == nil && $0.gluonWireGuardPeer == nil }, "positional peers have no Gluon name to keep")
        // What does not agree is exactly the link address: every one of the 8 peers, and nothing else.
        let found = GluonSiteChecker.disagreements(site: loaded, siteFile: "ffmuc.yaml", gluon: gluon)
        #expect(found.count == 8 && found.allSatisfy { $0.field == "wireguard link_address" && $0.site == "fe80::1" }, "\(found.map(\.description))")
        #expect(found.first?.firmware == "fe80::27c:16ff:fec0:6c74")
    }

    @Test func oneLineSaysTheBrokerIsNotProvidedAndOneNamesTheLinkAddresses() throws {
        let file = try CorpusLocator.file("gluon-site/ffmuc-ffmuc_muc_cty.domain.conf").path
        let broker = result.notes.filter { $0.contains("broker") }
        #expect(broker == ["note: \(file):52:7: domains 'ffmuc_muc_cty', 'ffmuc_welt' use München's wgkex flavour of mesh_vpn.wireguard (a broker, peers as a list with link_address): gwsetup does not provide the wgkex broker that registers node keys with the gateways, so node keys must come from each domain's wireguard.peers source; the gateways and their keys were imported"], "\(broker)")
        let link = result.notes.filter { $0.contains("link_address other than fe80::1") }
        #expect(link.count == 1 && link[0].hasPrefix("note: \(file):56:") && link[0].contains("8 wgkex peer(s)"), "\(link)")
        #expect(result.notes.filter { $0.contains("PLACEHOLDER peers") }.count == 2)
        #expect(!result.notes.contains { $0.contains("does not provide WireGuard") || $0.contains("Babel") }, "\(result.notes)")
    }

    /// ffhb is Babel (NOTES.md: 1 WireGuard peer lwlcomGW in groups.backbone): no gateway, and the Babel note alone.
    @Test func aBabelSiteImportsNoWireGuard() throws {
        let babel = GluonSiteImporter.makeSite(from: try GluonCorpusSites.load("ffhb-2019-babel-wireguard-ipv6only"))
        #expect(babel.notes.filter { $0.hasPrefix("note:") }.count == 1 && babel.notes.contains { $0.contains("Babel (node_prefix6)") })
        #expect(!babel.yaml.contains("wireguard:") && !babel.yaml.contains("wireguard_public_key") && !babel.yaml.contains("lwlcom"), "\(babel.yaml)")
    }
}
