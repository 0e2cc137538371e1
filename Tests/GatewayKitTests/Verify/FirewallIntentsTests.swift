import Testing
@testable import GatewayKit
@testable import FirewallKit
import TestSupport

@Suite struct FirewallIntentsTests {
    func intents(_ example: String, _ gateway: String) throws -> [FirewallIntent] {
        let pipeline = try examplePipeline(example)
        return FirewallIntents.derive(site: pipeline.site, gateway: try #require(pipeline.site.gateway(gateway)))
    }

    @Test(arguments: [("single-gateway.yaml", "gw1"), ("two-domains.yaml", "gw1"), ("two-domains.yaml", "gw2")])
    func everyIntentHoldsOnTheRenderedRulesOfBothFamilies(_ example: String, _ gateway: String) throws {
        let pipeline = try examplePipeline(example)
        let target = try #require(pipeline.site.gateway(gateway))
        let desired = try pipeline.desiredState(for: target)
        let rendered = try FirewallVerifier.renderedRulesets(desired)
        let report = try FirewallVerifier.verify(site: pipeline.site, gateway: target, desired: desired, checked: rendered)
        #expect(report.failing.map(\.name) == [], "\(report.failing.map { "\($0.name): \($0.rules.map(\.text))" })")
        #expect(report.drift.isEmpty)
        #expect(Set(report.intents.map(\.family)) == ["ipv4", "ipv6"])
        for finding in report.intents {
            #expect(!finding.rules.isEmpty, "\(finding.name) cites no rule")
        }
    }

    @Test func aSingleDomainGatewayGetsMeshUplinkAndForwardingIntentsPerFamily() throws {
        let names = try intents("single-gateway.yaml", "gw1").map(\.name)
        for expected in [
            "IPv4 mesh ffx: DHCP from clients is answered",
            "IPv4 mesh ffx: DNS over UDP from clients is answered",
            "IPv4 mesh ffx: DNS over TCP from clients is answered",
            "IPv4 mesh ffx: NTP from clients is answered",
            "IPv6 mesh ffx: neighbour solicitation for the gateway is answered",
            "IPv6 mesh ffx: router solicitation from clients is answered",
            "IPv6 mesh ffx: MLDv2 listener report is received",
            "IPv6 mesh ffx: respondd query (udp/1001) is answered",
            "IPv4 uplink eth0: SSH (tcp/22) from anywhere is accepted",
            "IPv6 uplink eth0: fastd ffx (udp/10000) is open to nodes",
            "IPv4 uplink eth0: DNS over UDP is closed (no open resolver)",
            "IPv6 uplink eth0: NTP is closed (no NTP amplifier)",
            "IPv4 forward ffx → eth0: new client connections are forwarded",
            "IPv6 forward eth0 → ffx: new connections from the internet are refused",
            "IPv4 forward eth0 → ffx: replies to clients return",
            "IPv4 forward ffx → eth0: clients (10.99.0.0/16) are masqueraded",
            "IPv4 forward ffx → eth0: TCP MSS is set to the mesh's 1240 on SYNs",
            "IPv6 forward ffx → eth0: clients of a unique-local prefix (fd99:1234:5678::/64) are refused",
        ] {
            #expect(names.contains(expected), "missing '\(expected)'")
        }
        #expect(Set(names).count == names.count, "names are unique")
        #expect(!names.contains { $0.contains("alfred") }, "alfred is off in this site")
        #expect(!names.contains { $0.contains("SSH from outside") }, "SSH is open to everyone, so nothing is refused")
        #expect(!names.contains { $0.hasPrefix("IPv6") && $0.contains("masqueraded") }, "IPv6 is routed, not NATed")
    }

    @Test func twoDomainsGiveIntentsPerDomainOnEachGatewaysOwnUplink() throws {
        let gw1 = try intents("two-domains.yaml", "gw1").map(\.name)
        let gw2 = try intents("two-domains.yaml", "gw2").map(\.name)
        #expect(gw1.contains("IPv4 mesh rural: DNS over TCP from clients is answered"))
        #expect(gw1.contains("IPv6 mesh city: alfred (udp/16962) from other gateways is received"))
        #expect(gw1.contains("IPv4 uplink ens3: fastd rural (udp/10002) is open to nodes"))
        #expect(gw2.contains("IPv4 uplink eth0: fastd city (udp/10001) is open to nodes"))
        #expect(gw1.contains("IPv4 forward rural → ens3: clients (10.41.0.0/18) are masqueraded"))
        #expect(gw1.count == gw2.count)
    }

    @Test func limitedSSHSourcesAddARefusedSourceOutsideThem() throws {
        let all = try intents("two-domains.yaml", "gw1")
        let ssh = all.filter { $0.name.contains("SSH") }
        #expect(ssh.map(\.name) == [
            "IPv4 uplink ens3: SSH (tcp/2222) from 192.0.2.0/24 is accepted",
            "IPv4 uplink ens3: SSH from outside ssh_allow_from (93.184.216.34) is refused",
            "IPv6 uplink ens3: SSH (tcp/2222) from 2001:db8:100::/48 is accepted",
            "IPv6 uplink ens3: SSH from outside ssh_allow_from (2606:2800:220:1:248:1893:25c8:1946) is refused",
        ])
        #expect(ssh.map(\.expectation) == [.accepted, .blocked, .accepted, .blocked])
        #expect(ssh[0].packet.source == ip("192.0.2.1"))
        #expect(ssh[0].packet.destinationPort == 2222 && ssh[0].packet.tcpFlags == [.syn] && ssh[0].packet.state == .new)
    }

    @Test func aSiteAllowingSSHOnlyOverIPv4RefusesItOverIPv6() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let text = try String(contentsOfFile: TestPaths.example("single-gateway.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "  ssh_port: 22\n", with: "  ssh_port: 22\n  ssh_allow_from: [192.0.2.0/24]\n")
        let pipeline = try SitePipeline(sitePath: try folder.write("site.yaml", text), bundledTemplates: TestPaths.repository + "/Templates")
        let gateway = try pipeline.singleGateway(named: nil)
        let names = FirewallIntents.derive(site: pipeline.site, gateway: gateway).map(\.name).filter { $0.contains("SSH") }
        #expect(names == [
            "IPv4 uplink eth0: SSH (tcp/22) from 192.0.2.0/24 is accepted",
            "IPv4 uplink eth0: SSH from outside ssh_allow_from (93.184.216.34) is refused",
            "IPv6 uplink eth0: SSH (tcp/22) is refused (ssh_allow_from lists no IPv6 prefix)",
        ])
        #expect(FirewallIntents.adminSSH(site: pipeline.site, gateway: gateway).map(\.name) == [names[0]])
        let desired = try pipeline.desiredState(for: gateway)
        let rendered = try FirewallVerifier.renderedRulesets(desired)
        #expect(try FirewallVerifier.verify(site: pipeline.site, gateway: gateway, desired: desired, checked: rendered).passed)
    }

    @Test func neighbourDiscoveryIsCheckedAsTheKernelSeesIt() throws {
        // conntrack leaves ND, MLD and RA/RS UNTRACKED: an `--ctstate INVALID -j DROP` before the ICMPv6 accept must not catch them.
        let discovery = try intents("single-gateway.yaml", "gw1").filter { $0.packet.protocolNumber == IPProtocolNumber.icmpv6 && $0.packet.icmpType != 128 }
        #expect(discovery.count == 7)
        #expect(discovery.allSatisfy { $0.packet.state == .untracked })
        let solicitation = try #require(discovery.first { $0.packet.icmpType == 135 })
        #expect(solicitation.packet.destination == ip("ff02::1:ff00:1"), "solicited-node address of fd99:1234:5678::1")
        #expect(solicitation.packet.packetType == .multicast && solicitation.packet.inInterface == "br-ffx")
    }
}
