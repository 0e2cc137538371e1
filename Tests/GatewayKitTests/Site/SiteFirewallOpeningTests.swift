import Testing
@testable import GatewayKit
@testable import GatewayBase

/// `firewall.open`: extra ports a site opens, refused where they would widen or repeat what gwsetup decides itself.
@Suite struct SiteFirewallOpeningTests {
    private func site(_ openings: String, services: String = "") -> String {
        MinimalSite.with(services: services) + "firewall:\n  open:\n" + openings
    }

    @Test func openingsLoadWithTheirNamesPortsAndSources() throws {
        let text = site("""
                - {name: web, on: uplink, proto: tcp, port: 443}
                - {on: uplink, proto: udp, port: "60000-60100", from: [192.0.2.0/24, "2001:db8:1::/48"]}
                - {name: bird, on: mesh, proto: tcp, port: 179, from: [10.99.0.0/16]}

            """)
        let openings = try SiteLoader.load(yaml: text, file: "site.yaml").site.firewall.openings
        #expect(openings.map(\.name) == ["web", "udp-60000-60100", "bird"])
        #expect(openings.map(\.side) == [.uplink, .uplink, .mesh])
        #expect(openings.map(\.ports) == [443...443, 60000...60100, 179...179])
        #expect(openings[1].sources.map(\.description) == ["192.0.2.0/24", "2001:db8:1::/48"])
        #expect(openings[2].sources(of: .ipv6) == nil, "bird's from lists no IPv6 prefix: closed to IPv6")
        #expect(openings[0].sources(of: .ipv6) == [nil], "no from: anyone")
    }

    @Test func aSiteWithoutFirewallOpensNothingMore() throws {
        #expect(try SiteLoader.load(yaml: MinimalSite.with(), file: "site.yaml").site.firewall.openings.isEmpty)
    }

    @Test func namesThatCouldEscapeTheirCommentOrIdAreRefused() {
        expectSiteErrors(site("    - {name: ⟨'web\" -j DROP', on: uplink, proto: tcp, port: 443}\n"),
                         #"'name' 'web" -j DROP' may hold only lower-case letters and digits in words joined by single '-', starting with a letter"#)
        expectSiteErrors(site("    - {name: ⟨'$(id)', on: uplink, proto: tcp, port: 443}\n"),
                         "'name' '$(id)' may hold only lower-case letters and digits in words joined by single '-', starting with a letter")
        expectSiteErrors(site("    - {name: ⟨Web, on: uplink, proto: tcp, port: 443}\n"),
                         "'name' 'Web' may hold only lower-case letters and digits in words joined by single '-', starting with a letter")
    }

    @Test func sidesProtocolsAndPortsOutsideTheirGrammar() {
        expectSiteErrors(site("    - {on: ⟨wan, proto: tcp, port: 443}\n"), "'on' must be uplink or mesh, not 'wan'")
        expectSiteErrors(site("    - {on: uplink, proto: ⟨sctp, port: 443}\n"), "'proto' must be tcp or udp, not 'sctp'")
        expectSiteErrors(site("    - {on: uplink, proto: tcp, port: ⟨70000}\n"),
                         "'port' must be a port 1-65535 or a range FIRST-LAST with FIRST < LAST, not '70000'")
        expectSiteErrors(site("    - {on: uplink, proto: tcp, port: ⟨\"9000-8000\"}\n"),
                         "'port' must be a port 1-65535 or a range FIRST-LAST with FIRST < LAST, not '9000-8000'")
        expectSiteErrors(site("    - {on: uplink, proto: tcp, port: ⟨\"443,80\"}\n"),
                         "'port' must be a port 1-65535 or a range FIRST-LAST with FIRST < LAST, not '443,80'")
        expectSiteErrors(site("    - ⟨{on: uplink, proto: tcp}\n"), "'firewall.open.0' needs 'port'")
    }

    @Test func sourcesMustBePrefixesThatReachTheUplink() {
        expectSiteErrors(site("    - {on: uplink, proto: tcp, port: 443, from: [⟨192.0.2.1/24]}\n"),
                         "'192.0.2.1/24' in 'from' is not an address prefix (no host bits)")
        expectSiteErrors(site("    - {on: uplink, proto: tcp, port: 443, from: [⟨127.0.0.0/8]}\n"),
                         "127.0.0.0/8 in 'from' lies in loopback space, which never reaches the uplink")
        expectSiteErrors(site("    - {on: uplink, proto: tcp, port: 443, from: ⟨[]}\n"),
                         "'from' is empty, which would open the port to nobody; leave it out to open it to anyone")
    }

    @Test func openingsThatWouldWidenWhatGwsetupDecidesAreRefused() {
        expectSiteErrors(site("    - {on: uplink, proto: tcp, port: ⟨22}\n"),
                         "firewall opening 'tcp-22': tcp/22 on the uplink is SSH, which access.ssh_allow_from opens")
        expectSiteErrors(site("    - {on: uplink, proto: udp, port: ⟨\"9000-11000\"}\n"),
                         "firewall opening 'udp-9000-11000': udp/10000 on the uplink is fastd of domain 'ffx', already open to nodes")
        expectSiteErrors(site("    - {on: uplink, proto: udp, port: ⟨53}\n"),
                         "firewall opening 'udp-53': udp/53 on the uplink would make the gateway an open resolver (DNS stays closed there)")
        expectSiteErrors(site("    - {on: uplink, proto: udp, port: ⟨123}\n"),
                         "firewall opening 'udp-123': udp/123 on the uplink would make the gateway an NTP amplifier (NTP stays closed there)")
        expectSiteErrors(site("    - {on: uplink, proto: tcp, port: ⟨9100}\n", services: "services:\n  monitoring: {node_exporter: true}\n"),
                         "firewall opening 'tcp-9100': tcp/9100 on the uplink would publish the gateway's metrics (node-exporter metrics stays closed there)")
        expectSiteErrors(site("    - {on: mesh, proto: udp, port: ⟨53}\n"),
                         "firewall opening 'udp-53': udp/53 on the mesh is already open for DNS")
    }

    @Test func aPortGwsetupDoesNotUseIsFreeOnceTheServiceIsOff() throws {
        // Without node_exporter nothing listens on 9100, so the site may open it for its own exporter.
        let text = site("    - {on: uplink, proto: tcp, port: 9100, from: [192.0.2.0/24]}\n")
        #expect(try SiteLoader.load(yaml: text, file: "site.yaml").site.firewall.openings.map(\.label) == ["tcp/9100"])
    }

    @Test func twiceTheSameNameOrAnOverlapIsRefused() {
        expectSiteErrors(site("    - {name: web, on: uplink, proto: tcp, port: 443}\n    - ⟨{name: web, on: uplink, proto: tcp, port: 8443}\n"),
                         "firewall opening 'web' is listed twice (the first is uplink tcp/443)")
        expectSiteErrors(site("    - {on: uplink, proto: tcp, port: \"8000-8100\"}\n    - ⟨{name: alt, on: uplink, proto: tcp, port: 8080}\n"),
                         "firewall opening 'alt' (tcp/8080 on the uplink) overlaps 'tcp-8000-8100' (tcp/8000-8100)")
    }

    @Test func theSamePortOnBothSidesOrProtocolsIsTwoOpenings() throws {
        let text = site("    - {name: a, on: uplink, proto: tcp, port: 443}\n    - {name: b, on: mesh, proto: tcp, port: 443}\n    - {name: c, on: uplink, proto: udp, port: 443}\n")
        #expect(try SiteLoader.load(yaml: text, file: "site.yaml").site.firewall.openings.count == 3)
    }

    @Test func anUnknownKeyIsNamed() {
        expectSiteErrors(site("    - {on: uplink, proto: tcp, ⟨ports: 443}\n"), "unknown key 'ports' in 'firewall.open.0'; did you mean 'port'?")
    }
}
