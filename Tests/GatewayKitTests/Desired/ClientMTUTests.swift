import Foundation
import Testing
@testable import GatewayKit
@testable import FirewallKit
import TestSupport

/// What clients are told is true: one client MTU reaches DHCP, RA and the MSS clamp; ULA clients stay off the uplink; multicast off is off.
@Suite(.serialized) struct ClientMTUTests {
    /// Two domains: `pub` with a public IPv6 prefix and mtu 1406, `ula` with a unique-local one, the usual 1312 and multicast off.
    static let site = """
        site: {code: ffx}
        domains:
          - code: pub
            prefix4: 10.98.0.0/16
            prefix6: 2001:db8:98::/64
            mtu: 1406
          - code: ula
            prefix4: 10.99.0.0/16
            prefix6: fd99::/64
            batman: {multicast_optimizations: false}
        gateways:
          - name: gw1
            uplink: ens3
            addresses:
              pub: {ipv4: 10.98.0.1, ipv6: "2001:db8:98::1"}
              ula: {ipv4: 10.99.0.1, ipv6: "fd99::1"}

        """

    func desired() throws -> DesiredState {
        let site = try SiteLoader.load(yaml: Self.site, file: MarkedSite.file).site
        let renderer = TemplateRenderer(store: TemplateStore(bundledDirectory: TestPaths.repository + "/Templates"))
        return try DesiredStateBuilder(site: site, renderer: renderer).build(for: try #require(site.gateway("gw1")))
    }

    func lines(_ desired: DesiredState, _ path: String, containing needle: String) throws -> [String] {
        try #require(desired.file(path)).content.split(separator: "\n").map(String.init).filter { $0.contains(needle) }
    }

    @Test func clientMTUIsTheMeshMTULessBatmanHeaderAndTheMSSFollows() throws {
        let site = try SiteLoader.load(yaml: Self.site, file: MarkedSite.file).site
        let ula = site.domains[1]
        #expect(ula.mtu == 1312 && ula.clientMTU == 1280)
        #expect(ula.clientMSS(.ipv4) == 1240 && ula.clientMSS(.ipv6) == 1220)
        #expect(site.domains[0].clientMTU == 1374 && site.domains[0].clientMSS(.ipv4) == 1334 && site.domains[0].clientMSS(.ipv6) == 1314)
        #expect(ula.hasUniqueLocalPrefix6 && !site.domains[0].hasUniqueLocalPrefix6)
    }

    @Test func dhcpAndRATellEachDomainsClientsTheSameMTU() throws {
        let desired = try desired()
        #expect(try lines(desired, "/etc/dnsmasq.d/gwsetup.conf", containing: "option:mtu") == [
            "dhcp-option=tag:pub,option:mtu,1374", "dhcp-option=tag:ula,option:mtu,1280",
        ])
        #expect(try lines(desired, "/etc/radvd.conf", containing: "AdvLinkMTU").map { $0.trimmingCharacters(in: .whitespaces) } == [
            "AdvLinkMTU 1374;", "AdvLinkMTU 1280;",
        ])
    }

    @Test func mssIsSetPerDomainAndFamilyOnItsBridgeInsteadOfClampedToThePathMTU() throws {
        let desired = try desired()
        let v4 = try lines(desired, DesiredState.firewallRulesPath(.ipv4), containing: "TCPMSS")
        let v6 = try lines(desired, DesiredState.firewallRulesPath(.ipv6), containing: "TCPMSS")
        #expect(v4 == [
            #"-A FORWARD -i br-pub -p tcp -m tcp --tcp-flags SYN,RST SYN -m comment --comment "clamp MSS to the mesh MTU of pub" -j TCPMSS --set-mss 1334"#,
            #"-A FORWARD -i br-ula -p tcp -m tcp --tcp-flags SYN,RST SYN -m comment --comment "clamp MSS to the mesh MTU of ula" -j TCPMSS --set-mss 1240"#,
        ])
        #expect(v6 == [
            #"-A FORWARD -i br-pub -p tcp -m tcp --tcp-flags SYN,RST SYN -m comment --comment "clamp MSS to the mesh MTU of pub" -j TCPMSS --set-mss 1314"#,
            #"-A FORWARD -i br-ula -p tcp -m tcp --tcp-flags SYN,RST SYN -m comment --comment "clamp MSS to the mesh MTU of ula" -j TCPMSS --set-mss 1220"#,
        ])
    }

    @Test func uniqueLocalClientsAreRejectedAtTheUplinkAndPublicOnesForwarded() throws {
        let desired = try desired()
        let forward = try lines(desired, DesiredState.firewallRulesPath(.ipv6), containing: "-o ens3")
        #expect(forward == [
            #"-A FORWARD -i br-ula -o ens3 -m comment --comment "ula has only a unique-local prefix: no route to the internet" -j REJECT --reject-with icmp6-no-route"#,
            #"-A FORWARD -s 2001:db8:98::/64 -i br-pub -o ens3 -m comment --comment "clients of pub to the internet" -j ACCEPT"#,
        ])
        // IPv4 is NATed, so the ULA domain's IPv4 clients still get out.
        #expect(try lines(desired, DesiredState.firewallRulesPath(.ipv4), containing: "-i br-ula -o ens3").count == 1)
    }

    @Test func verifyChecksTheMSSAndTheULARefusalOnTheRenderedRules() throws {
        let site = try SiteLoader.load(yaml: Self.site, file: MarkedSite.file).site
        let gateway = try #require(site.gateway("gw1"))
        let desired = try desired()
        let report = try FirewallVerifier.verify(site: site, gateway: gateway, desired: desired, checked: try FirewallVerifier.renderedRulesets(desired))
        #expect(report.failing.map(\.name) == [])
        let names = report.intents.map(\.name)
        for expected in [
            "IPv4 forward pub → ens3: TCP MSS is set to the mesh's 1334 on SYNs",
            "IPv4 forward ula → ens3: TCP MSS is set to the mesh's 1240 on SYNs",
            "IPv6 forward pub → ens3: TCP MSS is set to the mesh's 1314 on SYNs",
            "IPv6 forward ula → ens3: clients of a unique-local prefix (fd99::/64) are refused",
            "IPv6 forward pub → ens3: new client connections are forwarded",
        ] {
            #expect(names.contains(expected), "missing '\(expected)' in \(names)")
        }
        #expect(!names.contains("IPv6 forward ula → ens3: new client connections are forwarded"))
    }

    @Test func multicastOptimizationsOffSwitchesOffBatmanMulticastAndBridgeSnooping() throws {
        let desired = try desired()
        #expect(try lines(desired, "/etc/fastd/ula/fastd.conf", containing: "multicast_forceflood") == ["  batctl meshif bat-ula multicast_forceflood 1"])
        #expect(try lines(desired, "/etc/fastd/pub/fastd.conf", containing: "multicast_forceflood") == ["  batctl meshif bat-pub multicast_forceflood 0"])
        #expect(try lines(desired, "/etc/systemd/network/20-br-ula.netdev", containing: "MulticastSnooping") == ["MulticastSnooping=no"])
        #expect(try lines(desired, "/etc/systemd/network/20-br-pub.netdev", containing: "MulticastSnooping") == ["MulticastSnooping=yes"])
    }

    @Test func everyRenderedFilePassesItsDaemonsCheck() throws {
        let desired = try desired()
        let root = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try RenderTree.write(desired, to: root)
        let namespace = "gwtest-\(UInt32.random(in: 0...UInt32.max))"
        try #require(try Shell.run("ip netns add \(namespace)").status == 0, "the iptables validators need their own namespace")
        defer { _ = try? Shell.run("ip netns delete \(namespace)") }
        for key in desired.fastdKeys {
            let secret = try Shell.run("fastd --generate-key --machine-readable")
            try "secret \"\(secret.output.trimmingCharacters(in: .whitespacesAndNewlines))\";\n"
                .write(toFile: root + key.secretPath, atomically: true, encoding: .utf8)
        }
        var checked: [String] = []
        for file in desired.files {
            guard let validator = file.validator, !file.path.hasPrefix("/etc/systemd/system") else { continue }
            let command = validator.contains("tables-restore") ? "ip netns exec \(namespace) sh -c '\(validator.replacingOccurrences(of: "'", with: "'\\''"))'" : validator
            let result = try Shell.run(command, environment: ["FILE": root + file.path, "NAME": (file.path as NSString).lastPathComponent])
            #expect(result.status == 0, "\(file.path) rejected by its validator:\n\(result.output)")
            checked.append(file.path)
        }
        for path in ["/etc/dnsmasq.d/gwsetup.conf", "/etc/radvd.conf", "/etc/fastd/ula/fastd.conf", DesiredState.firewallRulesPath(.ipv4),
                     DesiredState.firewallRulesPath(.ipv6)] {
            #expect(checked.contains(path), "\(path) was not checked")
        }
    }
}
