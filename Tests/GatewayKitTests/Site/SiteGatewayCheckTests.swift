import Testing
@testable import GatewayKit

/// Gateways' addresses, names and uplinks against the domains they serve.
@Suite struct SiteGatewayCheckTests {
    private func gateway(_ addresses: String, name: String = "gw1", extra: String = "") -> String {
        "  - name: \(name)\n\(extra)    addresses:\n\(addresses)\n"
    }

    private func site(_ gateways: String...) -> String {
        MinimalSite.with(gateways: "gateways:\n" + gateways.joined())
    }

    @Test func addressOutsideTheDomainPrefix() {
        expectSiteErrors(site(gateway("      ffx: {ipv4: ⟨10.98.0.1, ipv6: \"fd99::1\"}")),
                         "gateway address 10.98.0.1 is outside prefix4 10.99.0.0/16 of domain 'ffx'")
        expectSiteErrors(site(gateway("      ffx: {ipv4: 10.99.0.1, ipv6: ⟨\"fd98::1\"}")),
                         "gateway address fd98::1 is outside prefix6 fd99::/64 of domain 'ffx'")
    }

    @Test func addressThatIsTheNetworkOrBroadcast() {
        expectSiteErrors(site(gateway("      ffx: {ipv4: ⟨10.99.0.0, ipv6: \"fd99::1\"}")),
                         "gateway address 10.99.0.0 is the network address of 10.99.0.0/16")
        expectSiteErrors(site(gateway("      ffx: {ipv4: ⟨10.99.255.255, ipv6: \"fd99::1\"}")),
                         "gateway address 10.99.255.255 is the broadcast address of 10.99.0.0/16")
        expectSiteErrors(site(gateway("      ffx: {ipv4: 10.99.0.1, ipv6: ⟨\"fd99::\"}")),
                         "gateway address fd99:: is the subnet-router anycast address of fd99::/64")
    }

    @Test func malformedAddresses() {
        expectSiteErrors(site(gateway("      ffx: {ipv4: ⟨10.99.0.256, ipv6: \"fd99::1\"}")), "'10.99.0.256' is not an IPv4 address")
        expectSiteErrors(site(gateway("      ffx: {ipv4: 10.99.0.1, ipv6: ⟨\"fd99::g\"}")), "'fd99::g' is not an IPv6 address")
    }

    @Test func twoGatewaysWithOneAddress() {
        expectSiteErrors(site(gateway("      ffx: {ipv4: 10.99.0.1, ipv6: \"fd99::1\"}"),
                              gateway("      ffx: {ipv4: ⟨10.99.0.1, ipv6: ⟨\"fd99::1\"}", name: "gw2")),
                         "address 10.99.0.1 is used by gateway 'gw1' too",
                         "address fd99::1 is used by gateway 'gw1' too")
    }

    @Test func twoGatewaysWithOneName() {
        expectSiteErrors(site(gateway("      ffx: {ipv4: 10.99.0.1, ipv6: \"fd99::1\"}"),
                              "  - name: ⟨gw1\n    addresses:\n      ffx: {ipv4: 10.99.0.2, ipv6: \"fd99::2\"}\n"),
                         "gateway name 'gw1' is used twice")
    }

    @Test func addressesInADomainThatDoesNotExist() {
        expectSiteErrors(site(gateway("      ffx: {ipv4: 10.99.0.1, ipv6: \"fd99::1\"}\n      ⟨ffy: {ipv6: \"fd98::1\"}")),
                         "gateway 'gw1' has addresses in domain 'ffy', which does not exist; did you mean 'ffx'?")
        expectSiteErrors(site(gateway("      ffx: {ipv4: 10.99.0.1, ipv6: \"fd99::1\"}\n      ⟨backbone: {ipv6: \"fd98::1\"}")),
                         "gateway 'gw1' has addresses in domain 'backbone', which does not exist")
    }

    @Test func ipv4InADomainWithoutPrefix4() {
        expectSiteErrors(MinimalSite.with(domains: "domains:\n  - code: ffx\n    prefix6: fd99::/64\n",
                                          gateways: "gateways:\n" + gateway("      ffx: {ipv4: ⟨10.99.0.1, ipv6: \"fd99::1\"}")),
                         "domain 'ffx' has no prefix4, so gateway 'gw1' cannot have an IPv4 address in it")
    }

    @Test func ipv4MissingWhereTheDomainHasPrefix4() {
        expectSiteErrors(site(gateway("      ⟨ffx: {ipv6: \"fd99::1\"}")),
                         "gateway 'gw1' needs an 'ipv4' address in domain 'ffx'")
    }

    @Test func ipv6OnlyDomainLoads() throws {
        let loaded = try SiteLoader.load(yaml: MinimalSite.with(
            domains: "domains:\n  - code: ffx\n    prefix6: fd99::/64\n",
            gateways: "gateways:\n  - name: gw1\n    addresses:\n      ffx: {ipv6: \"fd99::1\"}\n"), file: MarkedSite.file)
        #expect(loaded.site.domains[0].prefix4 == nil)
        #expect(DHCPPool.ranges(for: loaded.site.domains[0], in: loaded.site).isEmpty)
    }

    @Test func gatewayWithoutAnyDomain() {
        expectSiteErrors(MinimalSite.with(gateways: "gateways:\n  - name: ⟨gw1\n    addresses: {}\n"),
                         "gateway 'gw1' has no addresses in any domain")
    }

    @Test func uplinkLongerThanLinuxAllows() {
        expectSiteErrors(site(gateway("      ffx: {ipv4: 10.99.0.1, ipv6: \"fd99::1\"}", extra: "    uplink: ⟨enx00e04c680123a\n")),
                         "uplink 'enx00e04c680123a' is not a valid interface name (1–15 characters, no '/' or space)")
        expectSiteErrors(site(gateway("      ffx: {ipv4: 10.99.0.1, ipv6: \"fd99::1\"}", extra: "    uplink: ⟨eth0/1\n")),
                         "uplink 'eth0/1' is not a valid interface name (1–15 characters, no '/' or space)")
    }

    @Test func defaultRouterThatIsNoGatewayOfTheDomain() {
        expectSiteErrors(MinimalSite.with(domains: """
            domains:
              - code: ffx
                prefix4: 10.99.0.0/16
                prefix6: fd99::/64
                router_advertisement: {default_routers: [gw1, ⟨gw3]}
              - code: ffy
                prefix4: 10.98.0.0/16
                prefix6: fd98::/64
                router_advertisement: {default_routers: [⟨gw1]}

            """, gateways: MinimalSite.gateways + gateway("      ffy: {ipv4: 10.98.0.1, ipv6: \"fd98::1\"}", name: "gw2")),
            "default router 'gw3' is not a gateway of domain 'ffx': no gateway is called 'gw3'",
            "default router 'gw1' is not a gateway of domain 'ffy': gateway 'gw1' has no addresses in domain 'ffy'")
    }
}
