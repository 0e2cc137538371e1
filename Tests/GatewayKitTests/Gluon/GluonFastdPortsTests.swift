import Foundation
import Testing
@testable import GatewayKit
@testable import GluonKit

/// Per-gateway ports and several fastd instances through import, export and check.
@Suite struct GluonFastdPortsTests {
    @Test func tecffsOwnPortPerGatewayBecomesFastdPort() throws {
        let result = GluonSiteImporter.makeSite(from: try GluonCorpusSites.load("tecff-2022-multidomain"))
        let site = try SiteLoader.load(yaml: result.yaml, file: "tecff.yaml").site
        #expect(site.domain("tecff_legacy")?.fastd.port == 10011)
        // gw0 is reached on the domain's port, so it needs no override; the others each have their own.
        #expect(site.gateway("gw0")?.domain("tecff_legacy")?.fastdPort == nil)
        #expect(site.gateway("gw03")?.domain("tecff_legacy")?.fastdPort == 10013)
        #expect(site.gateway("gw06")?.domain("tecff_legacy")?.fastdPort == 10016)
        #expect(!result.notes.contains { $0.contains("one port per domain") }, "\(result.notes)")
        // Export writes each gateway's own port back into its remotes.
        let fragments = try GluonExporter.fragments(for: site)
        let legacy = LuaTablePrinter().print(try #require(fragments.first { $0.file == "domains/tecff_legacy.conf" }).table)
        #expect(legacy.contains("'\"fastd03.tecff.de\" port 10013'") && legacy.contains("'\"fastd06.tecff.net\" port 10016'"), "\(legacy)")
    }

    static let twoInstances = """
        site: {code: ffz}
        domains:
          - code: ffz
            prefix4: 10.50.0.0/16
            prefix6: "fd50::/64"
            fastd: {port: 10000, instances: 2}
        gateways:
          - name: gw1
            ssh: root@gw1.ffz.example
            addresses:
              ffz: {ipv4: 10.50.0.1, ipv6: "fd50::1", fastd_public_key: \(String(repeating: "a1", count: 32))}
          - name: gw2
            ssh: root@gw2.ffz.example
            addresses:
              ffz: {ipv4: 10.50.0.2, ipv6: "fd50::2", fastd_public_key: \(String(repeating: "b2", count: 32)), fastd_port: 10012}
        """

    @Test func everyInstancePortIsExportedAndChecked() throws {
        let loaded = try SiteLoader.load(yaml: Self.twoInstances, file: "site.yaml")
        let texts = Dictionary(uniqueKeysWithValues: try GluonExporter.fragments(for: loaded.site).map { ($0.file, LuaTablePrinter().print($0.table)) })
        let conf = try #require(texts["site.conf"])
        #expect(conf.contains("remotes = { '\"gw1.ffz.example\" port 10000', '\"gw1.ffz.example\" port 10001' }"), "\(conf)")
        #expect(conf.contains("remotes = { '\"gw2.ffz.example\" port 10012', '\"gw2.ffz.example\" port 10013' }"), "\(conf)")
        #expect(GluonSiteChecker.disagreements(site: loaded, siteFile: "site.yaml", gluon: try GluonExportCheckTests.firmware(texts)).isEmpty)
        // Firmware that only knows gw2's second port: served, so no port disagreement, but export would add the first.
        var edited = texts
        edited["site.conf"] = conf.replacingOccurrences(of: "'\"gw2.ffz.example\" port 10012', ", with: "")
        let found = GluonSiteChecker.disagreements(site: loaded, siteFile: "site.yaml", gluon: try GluonExportCheckTests.firmware(edited))
        #expect(found.map(\.field) == ["remote"], "\(found.map(\.description))")
        #expect(found.first?.description.contains("port 10012") == true, "\(found.map(\.description))")
        // A port no instance binds is a port disagreement, pointing at the gateway's fastd_port.
        edited["site.conf"] = conf.replacingOccurrences(of: "port 10013'", with: "port 10014'")
        let wrong = GluonSiteChecker.disagreements(site: loaded, siteFile: "site.yaml", gluon: try GluonExportCheckTests.firmware(edited))
        let port = try #require(wrong.first { $0.field == "fastd port" })
        #expect(port.gateway == "gw2" && port.description.contains("10012, 10013"), "\(port.description)")
    }

    @Test func checkReadsTheBindLineOfEveryRenderedInstance() throws {
        let desired = try desiredState(example: "fastd-instances.yaml", gateway: "gw2")
        let facts = RenderedMeshFacts(desired: desired, domains: ["ffz"])
        #expect(facts.fastd["ffz"]?.ports.map(\.value) == [10012, 10013])
        #expect(facts.fastd["ffz"]?.ports.last?.location == "/etc/fastd/ffz.2/fastd.conf:7 (rendered)")
        #expect(facts.fastd["ffz"]?.methods?.value == ["salsa2012+umac"] && facts.fastd["ffz"]?.mtu?.value == 1312)
    }
}
