import Foundation
import Testing
@testable import GatewayKit
@testable import FirewallKit
import TestSupport
import AgentKit

/// A site with every monitoring switch on: node-exporter on the mesh only, vnstat on the uplink and every VPN
/// interface, the firewall and verify agreeing, and the monitoring host's files accepted by promtool.
@Suite struct MonitoringSiteTests {
    /// two-domains.yaml with node-exporter and a contact switched on, written beside the examples' folder.
    static func pipeline() throws -> SitePipeline {
        let text = try String(contentsOfFile: TestPaths.example("two-domains.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "monitoring: {respondd: true, alfred: true, vnstat: true}",
                                  with: "monitoring: {respondd: true, alfred: true, vnstat: true, node_exporter: true, contact: \"noc@ffy.example\"}")
        #expect(text.contains("node_exporter: true"))
        let path = try Shell.temporaryDirectory() + "/site.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try SitePipeline(sitePath: path, bundledTemplates: TestPaths.repository + "/Templates")
    }

    @Test func siteReadsTheNewKeysAndRefusesAContactWithControlCharacters() throws {
        let site = try Self.pipeline().site
        #expect(site.services.monitoring.nodeExporter && site.services.monitoring.contact == "noc@ffy.example")
        let text = try String(contentsOfFile: TestPaths.example("single-gateway.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "    respondd: true", with: "    respondd: true\n    contact: \"a\\u001b[2Jb\"")
        #expect(throws: (any Error).self) { try SiteLoader.load(yaml: text, file: "site.yaml") }
    }

    @Test func nodeExporterListensOnTheMeshAddressesOnlyAndVnstatCoversEveryVPNInterface() throws {
        let pipeline = try Self.pipeline()
        let gateway = try #require(pipeline.site.gateway("gw1"))
        let desired = try pipeline.desiredState(for: gateway)
        #expect(desired.packages.contains("prometheus-node-exporter"))
        #expect(desired.units.map(\.name).contains("prometheus-node-exporter.service"))
        let exporter = try #require(desired.file(DesiredStateBuilder.nodeExporterDropIn)).content
        let listen = exporter.split(separator: " ").filter { $0.hasPrefix("--web.listen-address=") }.map { String($0.dropFirst("--web.listen-address=".count)) }
        let meshAddresses = pipeline.site.views(for: gateway).flatMap { [$0.entry.ipv4.map { "\($0):9100" }, "[\($0.entry.ipv6)]:9100"].compactMap(\.self) }
        #expect(Set(listen) == Set(meshAddresses) && !listen.isEmpty, "listen \(listen), mesh \(meshAddresses)")
        #expect(exporter.contains("--collector.textfile.directory=/var/lib/prometheus/node-exporter"))
        let vnstat = try #require(desired.file(DesiredStateBuilder.vnstatDropIn)).content
        for interface in [gateway.uplink, "vpn-city", "vpn-rural"] {
            #expect(vnstat.contains("ExecStartPre=-/usr/bin/vnstat --add --force -i \(interface)\n"), "vnstat misses \(interface)")
        }
        for path in [DesiredStateBuilder.nodeExporterDropIn, DesiredStateBuilder.vnstatDropIn] {
            #expect(OwnershipPolicy.gateway.ownsFile(path), "a site that drops monitoring removes \(path)")
        }
    }

    /// systemd itself reads both drop-ins over the packaged units, and refuses a broken one.
    @Test func dropInsAreValidForSystemd() throws {
        let pipeline = try Self.pipeline()
        let desired = try pipeline.desiredState(for: try #require(pipeline.site.gateway("gw1")))
        for (unit, dropIn) in [("vnstat.service", DesiredStateBuilder.vnstatDropIn), ("prometheus-node-exporter.service", DesiredStateBuilder.nodeExporterDropIn)] {
            let content = try #require(desired.file(dropIn)).content
            #expect(try Self.verifyDropIn(content, unit: unit).isEmpty)
        }
    }

    /// What `systemd-analyze verify` says about `dropIn` over a copy of the packaged `unit`.
    static func verifyDropIn(_ dropIn: String, unit: String) throws -> String {
        let directory = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: "\(directory)/\(unit).d", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "/lib/systemd/system/\(unit)", toPath: "\(directory)/\(unit)")
        try dropIn.write(toFile: "\(directory)/\(unit).d/gwsetup.conf", atomically: true, encoding: .utf8)
        let verified = try Shell.run("cd '\(directory)' && systemd-analyze verify './\(unit)'")
        return verified.output.split(separator: "\n").filter { $0.contains("gwsetup.conf") || $0.contains("\(unit):") }.joined(separator: "\n")
    }

    @Test func firewallOpensNodeExporterOnTheMeshAndVerifyHoldsIt() throws {
        let pipeline = try Self.pipeline()
        for name in ["gw1", "gw2"] {
            let gateway = try #require(pipeline.site.gateway(name))
            let desired = try pipeline.desiredState(for: gateway)
            let rules = try #require(desired.file(DesiredState.firewallRulesPath(.ipv4))).content
            #expect(rules.contains("-A gw-mesh-in -p tcp -m tcp --dport 9100 -m comment --comment \"node-exporter\" -j ACCEPT"))
            let report = try FirewallVerifier.verify(site: pipeline.site, gateway: gateway, desired: desired,
                                                     checked: try FirewallVerifier.renderedRulesets(desired))
            #expect(report.failing.map(\.name) == [])
            let names = report.intents.map(\.name)
            for expected in ["IPv4 mesh city: node-exporter metrics (tcp/9100) are served", "IPv6 mesh rural: node-exporter metrics (tcp/9100) are served",
                             "IPv4 mesh city: unicast respondd query (udp/1001) is answered", "IPv6 mesh city: respondd query (udp/1001) is answered",
                             "IPv4 uplink \(gateway.uplink): node-exporter metrics (tcp/9100) are closed",
                             "IPv6 uplink \(gateway.uplink): respondd (udp/1001) is closed"] {
                #expect(names.contains(expected), "missing '\(expected)' in \(names)")
            }
        }
    }

    /// A ruleset that lets 9100 in from the uplink fails verify: the intent can fail.
    @Test func anOpenExporterOnTheUplinkFailsVerify() throws {
        let pipeline = try Self.pipeline()
        let gateway = try #require(pipeline.site.gateway("gw1"))
        let desired = try pipeline.desiredState(for: gateway)
        let rules = try #require(desired.file(DesiredState.firewallRulesPath(.ipv4))).content
        let opened = rules.replacingOccurrences(of: "-A gw-wan-in ", with: "-A gw-wan-in -p tcp -m tcp --dport 9100 -j ACCEPT\n-A gw-wan-in ", options: [], range: rules.range(of: "-A gw-wan-in "))
        #expect(opened != rules)
        let checked = [CheckedRuleset(try RulesetParser.parse(opened, file: "opened.v4", family: .ipv4), source: "opened.v4")]
        let report = try FirewallVerifier.verify(site: pipeline.site, gateway: gateway, desired: desired, checked: checked)
        #expect(report.failing.map(\.name).contains("IPv4 uplink \(gateway.uplink): node-exporter metrics (tcp/9100) are closed"))
    }

    @Test func promtoolAcceptsTheRenderedScrapeConfigAndRules() throws {
        let directory = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let site = try Self.pipeline().site
        let written = try MonitoringBundle(site: site).write(to: directory)
        #expect(written.count == 3)
        let config = try String(contentsOfFile: directory + "/" + MonitoringBundle.scrapeConfigPath, encoding: .utf8)
        for gateway in site.gateways {
            let address = try #require(site.views(for: gateway).first?.entry.ipv4)
            #expect(config.contains("- targets: ['\(address):9100']"), "no target for \(gateway.name)")
            #expect(config.contains("gateway: '\(gateway.name)'"))
        }
        let rules = try Shell.run("promtool check rules '\(directory)/\(MonitoringBundle.rulesPath)'")
        #expect(rules.status == 0 && rules.output.contains("SUCCESS: 5 rules found"), "\(rules.output)")
        let checked = try Shell.run("promtool check config '\(directory)/\(MonitoringBundle.scrapeConfigPath)'")
        #expect(checked.status == 0, "\(checked.output)")
        let dashboard = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/" + MonitoringBundle.dashboardPath)))
        #expect((dashboard as? [String: Any])?["uid"] as? String == "gwsetup-gateways")
    }

    @Test func promtoolRefusesABrokenRuleSoTheCheckCanFail() throws {
        let directory = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try AlertRules.yaml.replacingOccurrences(of: "> 0.85", with: "> > 0.85").write(toFile: directory + "/bad.yml", atomically: true, encoding: .utf8)
        #expect(try Shell.run("promtool check rules '\(directory)/bad.yml'").status != 0)
    }

    /// What apply renders for the agent decodes with the agent's own types, carrying the site's values.
    @Test func agentSectionsDecodeWithTheAgentsConfigTypes() throws {
        let pipeline = try Self.pipeline()
        let gateway = try #require(pipeline.site.gateway("gw1"))
        let builder = DesiredStateBuilder(site: pipeline.site, renderer: pipeline.renderer)
        let sections = builder.agentObservabilitySections(gateway, pipeline.site.views(for: gateway))
        let config = try JSONDecoder().decode(AgentConfig.self, from: try JSONEncoder().encode(sections))
        let respondd = try #require(config.respondd)
        #expect(respondd.hostname == "gw1" && respondd.siteCode == "ffy" && respondd.contact == "noc@ffy.example" && respondd.port == 1001)
        #expect(respondd.domains.map(\.bridge) == ["br-city", "br-rural"] && respondd.domains.map(\.mesh) == ["bat-city", "bat-rural"])
        #expect(respondd.domains.map(\.fastdConfig) == ["/etc/fastd/city/fastd.conf", "/etc/fastd/rural/fastd.conf"])
        let metrics = try #require(config.metrics)
        #expect(metrics.textfile == "/var/lib/prometheus/node-exporter/gwsetup.prom")
        #expect(metrics.domains.first?.fastdSocket == "/run/fastd-city.sock" && metrics.domains.first?.fastdPeerLimit == 200)
        #expect(metrics.domains.allSatisfy { !$0.dhcpRanges.isEmpty })
        let off = try SitePipeline(sitePath: TestPaths.example("single-gateway.yaml"), bundledTemplates: TestPaths.repository + "/Templates")
        let offGateway = try #require(off.site.gateway("gw1"))
        #expect(DesiredStateBuilder(site: off.site, renderer: off.renderer).agentObservabilitySections(offGateway, off.site.views(for: offGateway)).metrics == nil)
    }
}
