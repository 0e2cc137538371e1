import Foundation
import Testing
@testable import GatewayKit
@testable import GatewayBase
@testable import GluonKit
import TestSupport

/// Issue 27: import → export judged by Gluon's own Lua 5.1, not by gwsetup's parser. Every value a node's
/// mesh VPN depends on comes back as the firmware had it, or import announced the change and check reports it.
@Suite("Gluon round trip judged by Gluon's Lua")
struct GluonOracleTests {
    let directory: String

    init() throws { directory = try Shell.temporaryDirectory() }

    /// What import, export and check made of one site directory.
    struct RoundTrip {
        var gluon: GluonSite
        var imported: GluonImport
        var loaded: LoadedSite
        var original: [String]
        var exported: [String]
        var differences: [GluonOracle.Difference]
        var disagreements: [GluonDisagreement]
        /// Differences import did not announce or check does not report at the firmware's file:line.
        var unannounced: [String] {
            let announcements = imported.notes + gluon.warnings.map(\.description)
            return differences.compactMap { difference in
                guard let location = GluonOracle.location(of: difference, among: differences, in: gluon) else { return "\(difference) (no location)" }
                let place = GluonOracle.fileLine(location)
                let announced = announcements.contains { $0.contains(place) }
                let reported = disagreements.contains { $0.firmwareLocation?.hasPrefix(place) == true }
                return announced && reported ? nil : "\(difference) [\(place) announced: \(announced), checked: \(reported)]"
            }
        }
    }

    /// Imports `site` (a directory with site.conf and domains/), fills nothing in, exports, and dumps both with lua5.1.
    func roundTrip(_ site: String) throws -> RoundTrip {
        let gluon = try GluonSiteLoader.load(siteConf: URL(fileURLWithPath: site + "/site.conf"))
        let imported = GluonSiteImporter.makeSite(from: gluon, outputName: "site.yaml")
        let loaded = try SiteLoader.load(yaml: imported.yaml, file: "site.yaml")
        try GluonOracle.write(try GluonExporter.fragments(for: loaded.site), to: directory + "/exported")
        let original = try GluonOracle.dump(site)
        let exported = try GluonOracle.dump(directory + "/exported")
        return RoundTrip(gluon: gluon, imported: imported, loaded: loaded, original: original, exported: exported,
                         differences: GluonOracle.differences(original: original, exported: exported),
                         disagreements: GluonSiteChecker.disagreements(site: loaded, siteFile: "site.yaml", gluon: gluon))
    }

    /// Writes a small site directory for one point of the issue.
    func site(_ files: [String: String]) throws -> String {
        let path = directory + "/original"
        try FileManager.default.createDirectory(atPath: path + "/domains", withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8) }
        return path
    }

    @Test(arguments: try GluonCorpusSites.allNames())
    func everyCorpusSiteRoundTripsWithNoUnannouncedDifference(name: String) throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = try GluonCorpusSites.layOut(name, in: directory + "/original")
        let site = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if let failure = GluonImportCorpusTests.expectedFailures[name] {
            // No loadable site (a template, Babel, or WireGuard only): import must say so at the firmware's file:line.
            let gluon = try GluonSiteLoader.load(siteConf: URL(fileURLWithPath: path))
            let imported = GluonSiteImporter.makeSite(from: gluon, outputName: "site.yaml")
            #expect(throws: SiteErrors.self) { try SiteLoader.load(yaml: imported.yaml, file: "site.yaml") }
            #expect(imported.yaml.contains(failure.line))
            #expect(imported.notes.contains { $0.contains(site + "/") && ($0.contains("PLACEHOLDER") || $0.contains("WireGuard only") || $0.contains("Babel")) }, "\(imported.notes)")
            return
        }
        let trip = try roundTrip(site)
        #expect(trip.original.contains { $0.hasPrefix("peer ") }, "the oracle sees the firmware's peers")
        #expect(trip.unannounced.isEmpty, "\(trip.unannounced.joined(separator: "\n"))")
    }

    /// Point 2: Gluon allows only letters, digits and '_' in peer names; `ffki_vpn0` comes back as `ffki_vpn0`.
    @Test func aPeerNameWithAnUnderscoreComesBackAsTheFirmwareHadIt() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let trip = try roundTrip(try site(["site.conf": Self.singleSite(peer: "ffki_vpn0", remotes: ["'\"vpn0.ffki.example\" port 10000'"])]))
        #expect(trip.loaded.site.gateways.map(\.name) == ["ffki-vpn0"])
        #expect(trip.exported.contains { $0.hasPrefix("peer mesh_vpn.fastd.groups.backbone.peers.ffki_vpn0 key ") })
        #expect(trip.differences.isEmpty, "\(trip.differences)")
        #expect(trip.disagreements.isEmpty, "\(trip.disagreements)")
    }

    /// Point 2: a GLUON_MULTIDOMAIN=1 site with one domain stays multidomain, its alias and default_domain kept.
    @Test func aOneDomainMultidomainSiteStaysMultidomain() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let domain = """
            {
              domain_names = { one = 'Domain One', stadt = 'Stadt' },
              hide_domain = { 'stadt' },
              prefix4 = '10.90.0.0/16',
              prefix6 = 'fd90::/64',
              mesh_vpn = { fastd = { groups = { backbone = { peers = {
                gw1 = { key = '\(String(repeating: "ab", count: 32))', remotes = { '"gw1.ffx.example" port 10001' } },
              } } } } },
            }
            """
        let path = try site(["site.conf": "{ site_code = 'ffx', site_name = 'X', default_domain = 'stadt',\n  mesh_vpn = { fastd = { mtu = 1312, methods = { 'salsa2012+umac' }, groups = { backbone = { limit = 1 } } } } }\n",
                             "domains/one.conf": domain])
        let trip = try roundTrip(path)
        #expect(FileManager.default.fileExists(atPath: directory + "/exported/domains/one.conf"))
        #expect(trip.exported.contains("default_domain \"stadt\""))
        #expect(trip.exported.contains("domain_names one one=\"Domain One\",stadt=\"Stadt\""))
        #expect(trip.differences.isEmpty, "\(trip.differences)")
        #expect(trip.disagreements.isEmpty, "\(trip.disagreements)")
    }

    /// Point 2: qualified remotes and their literal fallbacks survive in order.
    @Test func qualifiedRemotesAndLiteralFallbacksSurviveInOrder() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let remotes = ["'ipv4 \"gw1.ffx.example\" port 10000'", "'ipv6 \"gw1.ffx.example\" port 10000'", "'192.0.2.1:10000'", "'[2001:db8::1]:10000'"]
        let trip = try roundTrip(try site(["site.conf": Self.singleSite(peer: "gw1", remotes: remotes)]))
        let lines = trip.exported.filter { $0.hasPrefix("remote ") }
        #expect(lines == [
            "remote mesh_vpn.fastd.groups.backbone.peers.gw1 1 \"ipv4 \\\"gw1.ffx.example\\\" port 10000\"",
            "remote mesh_vpn.fastd.groups.backbone.peers.gw1 2 \"ipv6 \\\"gw1.ffx.example\\\" port 10000\"",
            "remote mesh_vpn.fastd.groups.backbone.peers.gw1 3 \"192.0.2.1:10000\"",
            "remote mesh_vpn.fastd.groups.backbone.peers.gw1 4 \"[2001:db8::1]:10000\"",
        ])
        #expect(trip.differences.isEmpty, "\(trip.differences)")
    }

    /// Point 2: a 2014 site comes back in the 2014 layout (`fastd_mesh_vpn.backbone`), nested groups keep their names and limits.
    @Test func oldLayoutsAndNestedGroupsComeBackAsWritten() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let key = String(repeating: "cd", count: 32)
        let old = "{ site_code = 'ffo', prefix6 = 'fd91::/64', fastd_mesh_vpn = { mtu = 1426, methods = { 'salsa2012+umac' },\n  backbone = { limit = 2, peers = { vpn_gw01 = { key = '\(key)', remotes = { 'ipv4 \"198.51.100.1\" port 10000' } } } } } }\n"
        let trip = try roundTrip(try site(["site.conf": old]))
        #expect(trip.exported.contains("group fastd_mesh_vpn.backbone limit 2"))
        #expect(trip.differences.isEmpty, "\(trip.differences)")
        try FileManager.default.removeItem(atPath: directory)
        let nested = "{ site_code = 'ffn', prefix6 = 'fd92::/64', mesh_vpn = { mtu = 1312, fastd = { methods = { 'salsa2012+umac' }, groups = {\n  backbone = { limit = 2, groups = { north = { limit = 1, peers = { gw_n = { key = '\(key)', remotes = { '\"n.ffn.example\" port 10000' } } } } } },\n  spare = { } } } } }\n"
        let second = try roundTrip(try site(["site.conf": nested]))
        #expect(second.exported.contains("group mesh_vpn.fastd.groups.backbone.groups.north limit 1"))
        #expect(second.exported.contains("mtu mesh_vpn.mtu 1312"))
        #expect(second.differences.isEmpty, "\(second.differences)")
        #expect(second.disagreements.isEmpty, "\(second.disagreements)")
    }

    /// Point 3: `enabled = True` is nil in Gluon, which builds; import warns at its line and column and goes on.
    @Test func aBareIdentifierImportsWithAWarningAtItsPosition() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let text = Self.singleSite(peer: "gw1", remotes: ["'\"gw1.ffx.example\" port 10000'"]).replacingOccurrences(of: "site_code = 'ffx',", with: "site_code = 'ffx',\n  autoupdater = { enabled = True },")
        let trip = try roundTrip(try site(["site.conf": text]))
        #expect(trip.gluon.warnings.map(\.description).contains { $0.hasSuffix("site.conf:3:29: warning: enabled = True: 'True' is an undefined Lua variable, so Gluon reads nil and builds as if enabled were not set (did you mean true?)") },
                "\(trip.gluon.warnings)")
        #expect(trip.differences.isEmpty, "\(trip.differences)")
    }

    /// Point 3: a wrong type where gwsetup reads nothing (extra_prefixes6) is a warning; Gluon's own check decides.
    /// (WireGuard peers were the example until gwsetup served WireGuard; GluonWireGuardInteropTests refuses those now.)
    @Test func anUnexpectedTypeInASectionGwsetupDoesNotUseIsAWarning() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let text = Self.singleSite(peer: "gw1", remotes: ["'\"gw1.ffx.example\" port 10000'"]).replacingOccurrences(of: "mesh_vpn = {", with: "extra_prefixes6 = 5,\n  mesh_vpn = {")
        let trip = try roundTrip(try site(["site.conf": text]))
        #expect(trip.gluon.warnings.contains { $0.message.contains("gwsetup does not use extra_prefixes6") }, "\(trip.gluon.warnings)")
        #expect(trip.differences.isEmpty, "\(trip.differences)")
    }

    /// Point 3: what Gluon refuses stays an error with its position: lua5.1 refuses it too.
    @Test func whatGluonRefusesStaysAnErrorAtItsPosition() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = try site(["site.conf": "{\n  site_code = 'ffx',\n  enabled = os.getenv('X'),\n}\n"])
        let error = try #require(throws: GluonParseError.self) { try GluonSiteLoader.load(siteConf: URL(fileURLWithPath: path + "/site.conf")) }
        #expect(error.line == 3 && error.column == 13, "\(error)")
        #expect(error.message.contains("is not allowed"))
        let run = try runCommand(["lua5.1", GluonOracle.dumper, path + "/site.conf"])
        #expect(run.status != 0, "Gluon's Lua refuses the call too")
    }

    /// A single-domain site with one fastd peer.
    static func singleSite(peer: String, remotes: [String]) -> String {
        """
        {
          site_code = 'ffx',
          site_name = 'Freifunk X',
          prefix4 = '10.90.0.0/16',
          prefix6 = 'fd90::/64',
          mesh_vpn = {
            fastd = {
              mtu = 1312,
              methods = { 'salsa2012+umac' },
              groups = { backbone = { limit = 1, peers = {
                \(peer) = { key = '\(String(repeating: "ab", count: 32))', remotes = { \(remotes.joined(separator: ", ")) } },
              } } },
            },
          },
        }

        """
    }
}
