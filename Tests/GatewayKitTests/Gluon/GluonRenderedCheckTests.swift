import Foundation
import Testing
@testable import GatewayKit
@testable import GluonKit
import TestSupport

/// `gluon check` holds the firmware against what the gateways would run: their rendered configs (template overrides
/// included), and resolvers where the firmware sends the nodes' DNS queries.
@Suite struct GluonRenderedCheckTests {
    /// The export suite's two-domain site, written to a folder with a templates/ folder beside it when `overrides` has any.
    func pipeline(overrides: [String: String] = [:]) throws -> (SitePipeline, ScratchFolder) {
        let folder = try ScratchFolder()
        var yaml = GluonExportCheckTests.siteYAML
        if !overrides.isEmpty {
            yaml = yaml.replacingOccurrences(of: "site: {code: ffy, name: Freifunk Zweistadt}", with: "site: {code: ffy, name: Freifunk Zweistadt, templates: templates}")
            for (name, text) in overrides {
                let path = folder.path + "/templates/" + name + ".mustache"
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            }
        }
        let site = try folder.write("site.yaml", yaml)
        return (try SitePipeline(sitePath: site, bundledTemplates: TestPaths.repository + "/Templates"), folder)
    }

    /// The bundled fastd template with one line replaced, as an admin's local override would.
    func fastdOverride(_ old: String, _ new: String) throws -> [String: String] {
        let bundled = try String(contentsOfFile: TestPaths.repository + "/Templates/fastd/fastd.conf.mustache", encoding: .utf8)
        #expect(bundled.contains(old))
        return ["fastd/fastd.conf": bundled.replacingOccurrences(of: old, with: new)]
    }

    /// The firmware exported from the plain site, optionally edited.
    func firmware(_ edit: (inout [String: String]) -> Void = { _ in }) throws -> GluonSite {
        let loaded = try SiteLoader.load(yaml: GluonExportCheckTests.siteYAML, file: "site.yaml")
        var texts = Dictionary(uniqueKeysWithValues: try GluonExporter.fragments(for: loaded.site).map { ($0.file, LuaTablePrinter().print($0.table)) })
        edit(&texts)
        return try GluonExportCheckTests.firmware(texts)
    }

    @Test func theRenderedConfigsOfAnUnchangedSiteAgreeWithItsExport() throws {
        let (pipeline, folder) = try pipeline()
        defer { folder.cleanup() }
        #expect(try GluonSiteChecker.disagreements(pipeline: pipeline, gluon: try firmware()).isEmpty)
    }

    @Test func aTemplateOverrideThatMovesFastdsPortIsReportedAtTheRenderedLine() throws {
        let (pipeline, folder) = try pipeline(overrides: try fastdOverride("bind any:{{port}};", "bind any:10009;"))
        defer { folder.cleanup() }
        let found = try GluonSiteChecker.disagreements(pipeline: pipeline, gluon: try firmware())
        #expect(found.map(\.field) == ["fastd port", "fastd port", "fastd port", "fastd port"], "\(found.map(\.description))")
        #expect(found.map { "\($0.domain ?? "")/\($0.gateway ?? "")" } == ["city/gw1", "city/gw2", "rural/gw1", "rural/gw2"])
        #expect(found.allSatisfy { $0.site == "10009" }, "\(found.map(\.description))")
        // The bind line's place in each rendered file: city renders two method lines, rural one.
        #expect(found.map(\.siteLocation) == ["/etc/fastd/city/fastd.conf:8 (rendered)", "/etc/fastd/city/fastd.conf:8 (rendered)",
                                              "/etc/fastd/rural/fastd.conf:7 (rendered)", "/etc/fastd/rural/fastd.conf:7 (rendered)"])
        #expect(found.first?.firmware.hasPrefix("10001 (") == true)
    }

    @Test func aTemplateOverrideOfTheMTUIsReportedPerGateway() throws {
        let (pipeline, folder) = try pipeline(overrides: try fastdOverride("mtu {{mtu}};", "mtu 1280;"))
        defer { folder.cleanup() }
        let found = try GluonSiteChecker.disagreements(pipeline: pipeline, gluon: try firmware())
        #expect(found.map { "\($0.field) \($0.domain ?? "")/\($0.gateway ?? "") \($0.site)→\($0.firmware)" }
                == ["mtu city/gw1 1280→1312", "mtu city/gw2 1280→1312", "mtu rural/gw1 1280→1406", "mtu rural/gw2 1280→1406"])
        // The site-file comparison alone saw nothing: the site still says 1312 and 1406.
        let loaded = try SiteLoader.load(yaml: GluonExportCheckTests.siteYAML, file: "site.yaml")
        #expect(GluonSiteChecker.disagreements(site: loaded, siteFile: "site.yaml", gluon: try firmware()).isEmpty)
    }

    @Test func aDNSServerNoGatewayRunsIsADisagreementUnlessTheSiteDeclaresIt() throws {
        let (pipeline, folder) = try pipeline()
        defer { folder.cleanup() }
        let gluon = try firmware { texts in
            texts["domains/city.conf"] = texts["domains/city.conf"]!.replacingOccurrences(of: "'fd40:aaaa:bbbb:1::2' }", with: "'fd40:aaaa:bbbb:1::99' }")
        }
        let found = try GluonSiteChecker.disagreements(pipeline: pipeline, gluon: gluon)
        #expect(found.count == 1, "\(found.map(\.description))")
        let dns = try #require(found.first)
        #expect(dns.field == "dns.servers" && dns.domain == "city")
        #expect(dns.firmware == "fd40:aaaa:bbbb:1::99 (no gateway's resolver listens there)")
        #expect(dns.site == "resolvers on 10.40.0.1, fd40:aaaa:bbbb:1::1, 10.40.0.2, fd40:aaaa:bbbb:1::2", "unbound listens on each gateway's city addresses: \(dns.site)")
        #expect(dns.siteLocation?.hasPrefix("/etc/unbound/unbound.conf.d/gwsetup.conf:") == true && dns.siteLocation?.hasSuffix(" (rendered)") == true)
        #expect(dns.firmwareLocation?.hasPrefix("domains/city.conf:") == true)
        // rural's fd40:aaaa:bbbb:2::53 is no gateway's either, but the site declares it (firmware.dns_servers): a note, not a disagreement.
        #expect(GluonSiteChecker.dnsNotes(site: pipeline.site, gluon: gluon).map { $0.contains("fd40:aaaa:bbbb:2::53") } == [true])
    }

    @Test func aNextNodeAddressHeldByAGatewayIsReported() throws {
        let (pipeline, folder) = try pipeline()
        defer { folder.cleanup() }
        let gluon = try firmware { texts in
            texts["domains/city.conf"] = texts["domains/city.conf"]!.replacingOccurrences(of: "ip4 = '10.40.0.10'", with: "ip4 = '10.40.0.2'")
        }
        let found = try GluonSiteChecker.disagreements(pipeline: pipeline, gluon: gluon)
        #expect(found.map(\.field) == ["next_node.ipv4", "next_node.ipv4"], "\(found.map(\.description))")
        let held = try #require(found.last)
        #expect(held.gateway == "gw2" && held.site == "10.40.0.2 is the gateway's own address" && held.firmware == "10.40.0.2 (every node answers it itself)")
    }

    @Test func theCLIChecksTheRenderedConfigs() throws {
        let (pipeline, folder) = try pipeline(overrides: try fastdOverride("bind any:{{port}};", "bind any:10009;"))
        defer { folder.cleanup() }
        let exported = try runGwsetup(["gluon", "export", "--site", folder.path + "/plain.yaml", "--output", folder.path + "/firmware"])
        #expect(exported.status == 1, "plain.yaml does not exist yet: \(exported.error)")
        try folder.write("plain.yaml", GluonExportCheckTests.siteYAML)
        let export = try runGwsetup(["gluon", "export", "--site", folder.path + "/plain.yaml", "--output", folder.path + "/firmware"])
        #expect(export.status == 0, "\(export.error)")
        let check = try runGwsetup(["gluon", "check", "--site", pipeline.sitePath, folder.path + "/firmware/site.conf"])
        #expect(check.status == 2, "\(check.output) \(check.error)")
        #expect(check.output.contains("domain 'city', gateway 'gw1': fastd port: site 10009 (/etc/fastd/city/fastd.conf:8 (rendered)), firmware 10001 ("), "\(check.output)")
    }
}
