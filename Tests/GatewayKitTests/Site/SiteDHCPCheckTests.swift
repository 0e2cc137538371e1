import Testing
@testable import GatewayKit

/// The validator's DHCP checks, each at the value the admin must change.
@Suite struct SiteDHCPCheckTests {
    private func domain(_ dhcp: String) -> String {
        MinimalSite.with(domains: "domains:\n  - code: ffx\n    prefix4: 10.99.0.0/16\n    prefix6: fd99::/64\n    dhcp: \(dhcp)\n")
    }

    @Test func domainRangeOutsideThePrefixIsReportedOnce() {
        expectSiteErrors(domain("{range: ⟨10.98.0.10-10.98.0.200}"), "DHCP range 10.98.0.10-10.98.0.200 is outside prefix4 10.99.0.0/16 of domain 'ffx'")
    }

    @Test func domainRangeOverAGatewayAddressOrTheNetwork() {
        expectSiteErrors(domain("{range: ⟨10.99.0.1-10.99.3.255}"), "DHCP range 10.99.0.1-10.99.3.255 contains the address 10.99.0.1 of gateway 'gw1'")
        expectSiteErrors(domain("{range: ⟨⟨10.99.0.0-10.99.3.255}"),
                         "DHCP range 10.99.0.0-10.99.3.255 includes the network or broadcast address of 10.99.0.0/16",
                         "DHCP range 10.99.0.0-10.99.3.255 contains the address 10.99.0.1 of gateway 'gw1'")
    }

    @Test func malformedRanges() {
        expectSiteErrors(domain("{range: ⟨10.99.1.0..10.99.2.0}"), "'10.99.1.0..10.99.2.0' is not an IPv4 range (want 10.99.1.0-10.99.63.255)")
        expectSiteErrors(domain("{range: ⟨10.99.2.0-10.99.1.0}"), "range '10.99.2.0-10.99.1.0' ends before it starts")
    }

    @Test func gatewayRangeOutsideThePrefixOrOverAGateway() {
        expectSiteErrors(TwoGatewaySite.twoGateways(first: "", second: ", dhcp_range: ⟨10.98.0.0-10.98.0.255"),
                         "DHCP range 10.98.0.0-10.98.0.255 of gateway 'gw2' is outside prefix4 10.99.0.0/16 of domain 'ffx'")
        expectSiteErrors(TwoGatewaySite.twoGateways(first: "", second: ", dhcp_range: ⟨⟨10.99.0.1-10.99.0.250"),
                         "DHCP range 10.99.0.1-10.99.0.250 of gateway 'gw2' contains the address 10.99.0.1 of gateway 'gw1'",
                         "DHCP range 10.99.0.1-10.99.0.250 of gateway 'gw2' contains the address 10.99.0.2 of gateway 'gw2'")
    }

    /// An automatic slot is not the admin's doing: it splits around the address instead of failing the site.
    @Test func gatewayAddressInsideAnotherGatewaysAutomaticSlotSplitsIt() throws {
        let loaded = try SiteLoader.load(yaml: MinimalSite.with(gateways: """
            gateways:
              - name: gw1
                addresses:
                  ffx: {ipv4: 10.99.40.1, ipv6: "fd99::1"}
              - name: gw2
                addresses:
                  ffx: {ipv4: 10.99.0.2, ipv6: "fd99::2"}

            """), file: MarkedSite.file)
        let ranges = DHCPPool.leasableRanges(for: loaded.site.domains[0], in: loaded.site)
        #expect(ranges["gw2"]?.map(\.description) == ["10.99.32.0-10.99.40.0", "10.99.40.2-10.99.63.255"])
    }

    @Test func motivatingFourGatewaySiteLoadsAndLeavesNextNodeOut() throws {
        var gateways = "gateways:\n"
        for index in 1...4 { gateways += "  - name: gw\(index)\n    addresses:\n      ffx: {ipv4: 172.21.0.\(index), ipv6: \"fd99::\(index)\"}\n" }
        let loaded = try SiteLoader.load(yaml: MinimalSite.with(domains: nextNodeDomain(prefix4: "172.21.0.0/18", nextNode: "172.21.24.254", dhcp: ""),
                                                                gateways: gateways), file: MarkedSite.file)
        let ranges = DHCPPool.leasableRanges(for: loaded.site.domains[0], in: loaded.site)
        #expect(ranges["gw4"]?.map(\.description) == ["172.21.24.0-172.21.24.253", "172.21.24.255-172.21.31.255"])
    }

    @Test func domainRangeOverTheNextNodeAddress() {
        expectSiteErrors(MinimalSite.with(domains: nextNodeDomain(prefix4: "10.99.0.0/16", nextNode: "10.99.2.254", dhcp: "    dhcp: {range: ⟨10.99.1.0-10.99.3.255}\n")),
                         "DHCP range 10.99.1.0-10.99.3.255 contains the address 10.99.2.254, the next_node address of domain 'ffx' that every node answers on")
    }

    @Test func gatewayRangeOverTheNextNodeAddressOrItsOwnAddress() {
        let domains = nextNodeDomain(prefix4: "10.99.0.0/16", nextNode: "10.99.64.1", dhcp: "")
        expectSiteErrors(TwoGatewaySite.twoGateways(first: "", second: ", dhcp_range: ⟨10.99.64.0-10.99.64.255", domains: domains),
                         "DHCP range 10.99.64.0-10.99.64.255 of gateway 'gw2' contains the address 10.99.64.1, the next_node address of domain 'ffx' that every node answers on")
        expectSiteErrors(TwoGatewaySite.twoGateways(first: "", second: ", dhcp_range: ⟨10.99.0.2-10.99.0.250"),
                         "DHCP range 10.99.0.2-10.99.0.250 of gateway 'gw2' contains the address 10.99.0.2 of gateway 'gw2'")
        expectSiteErrors(TwoGatewaySite.twoGateways(first: "", second: ", dhcp_range: ⟨10.99.255.0-10.99.255.255"),
                         "DHCP range 10.99.255.0-10.99.255.255 of gateway 'gw2' includes the network or broadcast address of 10.99.0.0/16")
    }

    private func nextNodeDomain(prefix4: String, nextNode: String, dhcp: String) -> String {
        "domains:\n  - code: ffx\n    prefix4: \(prefix4)\n    prefix6: fd99::/64\n    next_node: {ipv4: \(nextNode)}\n" + dhcp
    }

    @Test func gatewayRangesOverlapping() {
        expectSiteErrors(TwoGatewaySite.twoGateways(first: ", dhcp_range: 10.99.64.0-10.99.95.255", second: ", dhcp_range: ⟨10.99.80.0-10.99.90.255"),
                         "DHCP range 10.99.80.0-10.99.90.255 of gateway 'gw2' overlaps 10.99.64.0-10.99.95.255 of gateway 'gw1' in domain 'ffx'")
    }

    @Test func explicitRangeOverlappingAnotherGatewaysSlot() {
        expectSiteErrors(TwoGatewaySite.twoGateways(first: "", second: ", dhcp_range: ⟨10.99.16.0-10.99.16.255"),
                         "DHCP range 10.99.16.0-10.99.16.255 of gateway 'gw2' overlaps 10.99.1.0-10.99.31.255 of gateway 'gw1' in domain 'ffx'")
    }

    @Test func prefixTooSmallForAPool() {
        expectSiteErrors(MinimalSite.with(domains: "domains:\n  - code: ffx\n    prefix4: ⟨10.99.0.0/27\n    prefix6: fd99::/64\n"),
                         "prefix4 10.99.0.0/27 of domain 'ffx' is too small for a DHCP pool; give 'dhcp.range'")
    }

    @Test func poolTooSmallToSplitIsAnErrorNotASilentGap() {
        expectSiteErrors(domain("{range: ⟨10.99.1.0-10.99.1.6}"),
                         "the DHCP pool of domain 'ffx' is too small to give gateway 'gw1' a slot; give a larger pool or a 'dhcp_range' per gateway")
    }

    @Test func rangesInADomainWithoutPrefix4() {
        expectSiteErrors(MinimalSite.with(domains: "domains:\n  - code: ffx\n    prefix6: fd99::/64\n    dhcp: {range: ⟨10.99.1.0-10.99.1.255}\n",
                                          gateways: "gateways:\n  - name: gw1\n    addresses:\n      ffx: {ipv6: \"fd99::1\", dhcp_range: ⟨10.99.1.0-10.99.1.255}\n"),
                         "domain 'ffx' has no prefix4, so it cannot have a DHCP range",
                         "domain 'ffx' has no prefix4, so gateway 'gw1' cannot have a DHCP range in it")
    }
}

/// Two gateways in the minimal domain, with text appended to each one's address mapping.
private enum TwoGatewaySite {
    static func twoGateways(first: String, second: String, domains: String = MinimalSite.domains) -> String {
        MinimalSite.with(domains: domains, gateways: """
            gateways:
              - name: gw1
                addresses:
                  ffx: {ipv4: 10.99.0.1, ipv6: "fd99::1"\(first)}
              - name: gw2
                addresses:
                  ffx: {ipv4: 10.99.0.2, ipv6: "fd99::2"\(second)}

            """)
    }
}
