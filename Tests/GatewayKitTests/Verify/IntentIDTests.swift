import Foundation
import Testing
@testable import GatewayKit
@testable import GatewayBase
@testable import FirewallKit
import TestSupport

/// Intent ids are what scripts key on: one per intent, unique per gateway, following the grammar, the same every run.
@Suite struct IntentIDTests {
    /// Every site the repository ships or boots: the examples and the VM suites' fixtures.
    static func everySite() throws -> [String] {
        let examples = try FileManager.default.contentsOfDirectory(atPath: TestPaths.repository + "/site-examples")
            .filter { $0.hasSuffix(".yaml") }.map { TestPaths.example($0) }
        let fixtureFolder = TestPaths.repository + "/Tests/EndToEndTests/Fixtures"
        let fixtures = try FileManager.default.contentsOfDirectory(atPath: fixtureFolder)
            .filter { $0.hasSuffix(".yaml") }.map { fixtureFolder + "/" + $0 }
        return (examples + fixtures).sorted()
    }

    @Test func everyIntentOfEverySiteHasAUniqueIdThatFollowsTheGrammar() throws {
        let sites = try Self.everySite()
        #expect(sites.count >= 7, "the examples and the VM fixtures: \(sites)")
        var checked = 0
        for path in sites {
            let site = try SiteLoader.load(path: path).site
            for gateway in site.gateways {
                let intents = FirewallIntents.derive(site: site, gateway: gateway)
                let ids = intents.compactMap(\.id)
                #expect(ids.count == intents.count, "\(path) \(gateway.name): an intent without an id")
                #expect(Set(ids).count == ids.count, "\(path) \(gateway.name): repeated ids \(ids.filter { id in ids.count { $0 == id } > 1 })")
                for intent in intents {
                    let id = try #require(intent.id)
                    let parsed = try #require(IntentID(parsing: id), "\(path): '\(id)' breaks the grammar")
                    #expect(parsed.description == id)
                    #expect(parsed.family == intent.packet.family, "\(id) is not the packet's family")
                }
                #expect(Set(FirewallIntents.adminSSH(site: site, gateway: gateway).compactMap(\.id)).isSubset(of: Set(ids)))
                checked += intents.count
            }
        }
        #expect(checked > 100)
    }

    @Test func theExampleGatewaysIdsReadAsDocumented() throws {
        let pipeline = try examplePipeline("single-gateway.yaml")
        let ids = FirewallIntents.derive(site: pipeline.site, gateway: try pipeline.singleGateway(named: nil)).compactMap(\.id)
        #expect(ids.prefix(5) == ["ipv4.mesh.ffx.dhcp", "ipv4.mesh.ffx.dns-udp", "ipv4.mesh.ffx.dns-tcp", "ipv4.mesh.ffx.ntp", "ipv4.mesh.ffx.ping"])
        for id in ["ipv4.uplink.ssh", "ipv4.uplink.ffx.fastd", "ipv4.uplink.closed-dns-udp", "ipv4.uplink.replies",
                   "ipv4.forward.ffx.outbound", "ipv4.forward.ffx.masquerade", "ipv4.forward.ffx.mss-clamp",
                   "ipv6.mesh.ffx.neighbour-solicitation", "ipv6.mesh.ffx.respondd", "ipv6.uplink.ssh", "ipv6.uplink.closed-dhcpv6",
                   "ipv6.forward.ffx.refused-unique-local"] {
            #expect(ids.contains(id), "\(id) missing from \(ids)")
        }
    }

    @Test func severalAllowedSSHPrefixesAreNumberedInSiteOrder() throws {
        let text = try String(contentsOfFile: TestPaths.example("single-gateway.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "access:\n  ssh_port: 22\n",
                                  with: "access:\n  ssh_port: 22\n  ssh_allow_from: [192.0.2.0/24, 198.51.100.0/24, \"2001:db8::/32\"]\n")
        let site = try SiteLoader.load(yaml: text, file: "several-ssh.yaml").site
        let intents = FirewallIntents.derive(site: site, gateway: site.gateways[0])
        let ssh = intents.filter { $0.id?.contains(".uplink.ssh") == true }
        #expect(ssh.map { $0.id! } == ["ipv4.uplink.ssh-1", "ipv4.uplink.ssh-2", "ipv6.uplink.ssh"])
        #expect(ssh[1].name.contains("198.51.100.0/24"))
        #expect(intents.contains { $0.id == "ipv4.uplink.refused-ssh" })
    }

    @Test(arguments: [
        ("ipv4.mesh.ffx.dns-udp", true), ("ipv6.uplink.ssh", true), ("ipv4.uplink.ffx_2-b.fastd", true), ("ipv6.forward.Dom0.mss-clamp", true),
        ("ipv5.mesh.ffx.dns", false), ("ipv4.wan.ssh", false), ("ipv4.mesh.dns", false), ("ipv4.forward.outbound", false),
        ("ipv4.mesh.ffx.DNS", false), ("ipv4.mesh.ffx.dns--udp", false), ("ipv4.mesh.ffx.dns-", false), ("ipv4.mesh.ffx.", false),
        ("ipv4.mesh.1ffx.dns", false), ("ipv4.mesh.ffx.a.dns", false), ("ipv4.mesh.ff x.dns", false), ("ipv4.mesh.ffx.dns\n", false),
    ])
    func theGrammarAcceptsOnlyWellFormedIds(_ text: String, _ valid: Bool) {
        #expect((IntentID(parsing: text) != nil) == valid, "\(text)")
        if valid { #expect(IntentID(parsing: text)?.description == text) }
    }
}
