import Foundation
import Testing
import TestSupport
@testable import GatewayKit
@testable import AgentKit

/// Several fastd instances per domain and per-gateway ports: every place that knew the one instance knows them all.
@Suite struct FastdInstancesTests {
    @Test func eachInstanceGetsItsPortInterfaceSocketAndHalfThePeerLimit() throws {
        let desired = try desiredState(example: "fastd-instances.yaml", gateway: "gw1")
        let first = try #require(desired.file("/etc/fastd/ffz/fastd.conf")).content
        let second = try #require(desired.file("/etc/fastd/ffz.2/fastd.conf")).content
        #expect(desired.file("/etc/fastd/ffz.3/fastd.conf") == nil)
        #expect(first.contains("bind any:10000;") && second.contains("bind any:10001;"))
        #expect(first.contains("interface \"vpn-ffz\";") && second.contains("interface \"vpn2-ffz\";"))
        // ceil(301 / 2): together the instances may take one node more than the site's limit, never fewer.
        #expect(first.contains("peer limit 151;") && second.contains("peer limit 151;"))
        #expect(first.contains("status socket \"/run/fastd-ffz.sock\";") && second.contains("status socket \"/run/fastd-ffz.2.sock\";"))
        // One key per gateway: instance 1 keeps its own include, the other reads the same file.
        #expect(first.contains("include \"secret.conf\";") && second.contains("include \"../ffz/secret.conf\";"))
        #expect(desired.fastdKeys.map(\.secretPath) == ["/etc/fastd/ffz/secret.conf"])
        // Both join the same batman-adv mesh.
        #expect(first.contains("batctl meshif bat-ffz interface add $INTERFACE") && second.contains("batctl meshif bat-ffz interface add $INTERFACE"))
        #expect(desired.units.map(\.name).filter { $0.hasPrefix("fastd@") } == ["fastd@ffz.service", "fastd@ffz.2.service"])
    }

    @Test func aGatewaysOwnPortMovesAllItsInstances() throws {
        let desired = try desiredState(example: "fastd-instances.yaml", gateway: "gw2")
        #expect(try #require(desired.file("/etc/fastd/ffz/fastd.conf")).content.contains("bind any:10012;"))
        #expect(try #require(desired.file("/etc/fastd/ffz.2/fastd.conf")).content.contains("bind any:10013;"))
        let rules = try #require(desired.file("/etc/gwsetup/firewall/rules.v4")).content
        #expect(rules.contains("--dport 10012 -m comment --comment \"fastd ffz\" -j ACCEPT"))
        #expect(rules.contains("--dport 10013 -m comment --comment \"fastd ffz.2\" -j ACCEPT"))
        #expect(!rules.contains("--dport 10000 "))
    }

    @Test func firewallLinksKeysVnstatAndAgentKnowEveryInstance() throws {
        let desired = try desiredState(example: "fastd-instances.yaml", gateway: "gw1")
        for family in ["v4", "v6"] {
            let rules = try #require(desired.file("/etc/gwsetup/firewall/rules.\(family)")).content
            #expect(rules.contains("-A gw-wan-in -p udp -m udp --dport 10000 -m comment --comment \"fastd ffz\" -j ACCEPT"))
            #expect(rules.contains("-A gw-wan-in -p udp -m udp --dport 10001 -m comment --comment \"fastd ffz.2\" -j ACCEPT"))
        }
        let mesh = try #require(desired.meshLinks.first)
        #expect(mesh.fastd == [FastdLink(unit: "fastd@ffz.service", interface: "vpn-ffz"), FastdLink(unit: "fastd@ffz.2.service", interface: "vpn2-ffz")])
        #expect(NetworkProbe(desired.meshLinks).links.contains("vpn2-ffz"))
        let vnstat = try #require(desired.file(DesiredStateBuilder.vnstatDropIn)).content
        #expect(vnstat.contains("vpn-ffz") && vnstat.contains("vpn2-ffz"))
        // A new key restarts every instance that includes it.
        let keyChange = Planner.fastdKeyChanges(desired, HostFacts())
        #expect(keyChange.first?.triggers == [.restart("fastd@ffz.service"), .restart("fastd@ffz.2.service")])
        let site = try SiteLoader.load(path: TestPaths.example("fastd-instances.yaml")).site
        let builder = DesiredStateBuilder(site: site, renderer: TemplateRenderer(store: TemplateStore(bundledDirectory: TestPaths.repository + "/Templates")))
        let gateway = try #require(site.gateway("gw1"))
        // Through agent.json's own encoding, as the agent reads it.
        let encoded = try JSONEncoder().encode(builder.agentObservabilitySections(gateway, site.views(for: gateway)))
        let config = try JSONDecoder().decode(AgentConfig.self, from: encoded)
        #expect(config.respondd?.domains.first?.vpnInterface == "vpn-ffz" && config.respondd?.domains.first?.moreVPNInterfaces == ["vpn2-ffz"])
        #expect(config.metrics?.domains.first?.fastdSocket == "/run/fastd-ffz.sock")
        #expect(config.metrics?.domains.first?.moreFastdSockets == ["/run/fastd-ffz.2.sock"])
        // The domain's limit stays the site's: the metric compares all instances' peers with it.
        #expect(config.metrics?.domains.first?.fastdPeerLimit == 301)
    }

    @Test func theManifestOwnsEveryInstanceAndNothingLikeIt() {
        let policy = OwnershipPolicy()
        #expect(policy.ownsUnit("fastd@ffz.2.service") && policy.ownsUnit("fastd@ffz.64.service"))
        #expect(policy.ownsFile("/etc/fastd/ffz.2/fastd.conf"))
        for name in ["fastd@ffz.1.service", "fastd@ffz.65.service", "fastd@ffz.02.service", "fastd@ffz.2.3.service", "fastd@.2.service"] {
            #expect(!policy.ownsUnit(name), "\(name)")
        }
        #expect(!policy.ownsFastdSecret("/etc/fastd/ffz.2/secret.conf"))
    }

    @Test func liveLinkCheckExpectsEveryInstancesInterfaceInTheMesh() throws {
        let desired = try desiredState(example: "fastd-instances.yaml", gateway: "gw1")
        var facts = HostFacts()
        for unit in ["fastd@ffz.service", "fastd@ffz.2.service", "systemd-networkd.service"] { facts.units[unit] = UnitFact(enabled: true, active: true) }
        facts.network = LiveNetwork(links: [
            "vpn-ffz": LinkFact(up: true, master: "bat-ffz", addresses: []),
            "bat-ffz": LinkFact(up: true, master: "br-ffz", addresses: []),
        ], batman: [:])
        let changes = Planner.linkChanges(desired, facts)
        let missing = changes.filter { $0.resource == "vpn2-ffz" }
        #expect(missing.map(\.reason) == ["missing"] && missing.first?.triggers == [.restart("fastd@ffz.2.service")])
        #expect(!changes.contains { $0.resource == "vpn-ffz" })
    }
}
