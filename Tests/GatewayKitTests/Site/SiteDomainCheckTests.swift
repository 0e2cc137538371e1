import Testing
@testable import GatewayKit

/// Prefixes, MTU, ports and interface names: what no single value can show wrong.
@Suite struct SiteDomainCheckTests {
    private func oneDomain(_ body: String) -> String {
        MinimalSite.with(domains: "domains:\n  - code: ffx\n" + body + "\n")
    }

    @Test func prefixWithHostBitsNamesTheNetwork() {
        expectSiteErrors(oneDomain("    prefix4: ⟨10.99.0.1/16\n    prefix6: fd99::/64"), "'10.99.0.1/16' has host bits set; the network is 10.99.0.0/16")
        expectSiteErrors(oneDomain("    prefix4: 10.99.0.0/16\n    prefix6: ⟨fd99::1/64"), "'fd99::1/64' has host bits set; the network is fd99::/64")
    }

    @Test func invalidPrefixes() {
        expectSiteErrors(oneDomain("    prefix4: ⟨10.99.0.0/33\n    prefix6: fd99::/64"), "'10.99.0.0/33' is not an IPv4 prefix (want a.b.c.d/n)")
        expectSiteErrors(oneDomain("    prefix4: ⟨10.99.0.0\n    prefix6: fd99::/64"), "'10.99.0.0' is not an IPv4 prefix (want a.b.c.d/n)")
        expectSiteErrors(oneDomain("    prefix4: ⟨10.299.0.0/16\n    prefix6: fd99::/64"), "'10.299.0.0/16' is not an IPv4 prefix (want a.b.c.d/n)")
        expectSiteErrors(oneDomain("    prefix4: 10.99.0.0/16\n    prefix6: ⟨\"fd99::\""), "'fd99::' is not an IPv6 prefix (want x:x::/64)")
        expectSiteErrors(oneDomain("    prefix4: 10.99.0.0/16\n    prefix6: ⟨fd99:::/64"), "'fd99:::/64' is not an IPv6 prefix (want x:x::/64)")
    }

    @Test func prefix6MustBeSlash64() {
        expectSiteErrors(oneDomain("    prefix4: 10.99.0.0/16\n    prefix6: ⟨fd99::/48"), "prefix6 fd99::/48 must be a /64: SLAAC and router advertisements need one")
        expectSiteErrors(oneDomain("    prefix4: 10.99.0.0/16\n    prefix6: ⟨fd99::/80"), "prefix6 fd99::/80 must be a /64: SLAAC and router advertisements need one")
    }

    @Test func overlappingPrefixesBetweenDomains() {
        expectSiteErrors(MinimalSite.with(domains: """
            domains:
              - code: ffx
                prefix4: 10.99.0.0/16
                prefix6: fd99::/64
              - code: ffy
                prefix4: ⟨10.99.128.0/17
                prefix6: ⟨fd99::/64

            """),
            "prefix4 10.99.128.0/17 of domain 'ffy' overlaps 10.99.0.0/16 of domain 'ffx'",
            "prefix6 fd99::/64 of domain 'ffy' overlaps fd99::/64 of domain 'ffx'")
    }

    @Test func largerPrefixLaterStillOverlaps() {
        expectSiteErrors(MinimalSite.with(domains: """
            domains:
              - code: ffx
                prefix4: 10.99.0.0/16
                prefix6: fd99::/64
              - code: ffy
                prefix4: ⟨10.0.0.0/8
                prefix6: fd98::/64

            """),
            "prefix4 10.0.0.0/8 of domain 'ffy' overlaps 10.99.0.0/16 of domain 'ffx'")
    }

    @Test func repeatedDomainCode() {
        expectSiteErrors(MinimalSite.with(domains: """
            domains:
              - code: ffx
                prefix4: 10.99.0.0/16
                prefix6: fd99::/64
              - code: ⟨ffx
                interface_name: ffx2
                prefix4: 10.98.0.0/16
                prefix6: fd98::/64

            """),
            "domain code 'ffx' is used by domain 1 too")
    }

    @Test func mtuOutsideWhatTheTunnelCarries() {
        expectSiteErrors(oneDomain("    prefix4: 10.99.0.0/16\n    prefix6: fd99::/64\n    mtu: ⟨1279"), "mtu 1279 is outside what fastd and batman-adv can carry (1280–1426)")
        expectSiteErrors(oneDomain("    prefix4: 10.99.0.0/16\n    prefix6: fd99::/64\n    mtu: ⟨1427"), "mtu 1427 is outside what fastd and batman-adv can carry (1280–1426)")
        expectSiteErrors(oneDomain("    prefix4: 10.99.0.0/16\n    prefix6: fd99::/64\n    mtu: ⟨9000"), "mtu 9000 is outside what fastd and batman-adv can carry (1280–1426)")
    }

    @Test func mtuWarningsAtTheEdges() {
        let low = "mtu %d is below 1312: batman-adv adds 32 bytes, so full-size 1280-byte packets will not fit"
        let high = "mtu %d is above 1406: fastd packets fragment when nodes connect over IPv6"
        for mtu in [1280, 1311] {
            expectSiteWarnings(oneDomain("    prefix4: 10.99.0.0/16\n    prefix6: fd99::/64\n    mtu: ⟨\(mtu)"), low.replacingOccurrences(of: "%d", with: "\(mtu)"))
        }
        for mtu in [1407, 1426] {
            expectSiteWarnings(oneDomain("    prefix4: 10.99.0.0/16\n    prefix6: fd99::/64\n    mtu: ⟨\(mtu)"), high.replacingOccurrences(of: "%d", with: "\(mtu)"))
        }
        for mtu in [1312, 1394, 1406] {
            expectSiteWarnings(oneDomain("    prefix4: 10.99.0.0/16\n    prefix6: fd99::/64\n    mtu: \(mtu)"))
        }
    }

    @Test func fastdPortCollidingWithSSH() {
        expectSiteErrors(oneDomain("    prefix4: 10.99.0.0/16\n    prefix6: fd99::/64\n    fastd: {port: ⟨22}"),
                         "fastd port 22 of domain 'ffx' collides with the SSH port")
        // The default fastd port (10000) against a moved SSH port points at the domain, since no port is written.
        expectSiteErrors(MinimalSite.with(domains: "domains:\n  - code: ⟨ffx\n    prefix4: 10.99.0.0/16\n    prefix6: fd99::/64\n",
                                          access: "access: {ssh_port: 10000}\n"),
                         "fastd port 10000 of domain 'ffx' collides with the SSH port")
    }

    @Test func fastdPortCollidingWithAnotherDomain() {
        expectSiteErrors(MinimalSite.with(domains: """
            domains:
              - code: ffx
                prefix4: 10.99.0.0/16
                prefix6: fd99::/64
              - code: ffy
                prefix4: 10.98.0.0/16
                prefix6: fd98::/64
                fastd: {port: ⟨10000}

            """),
            "fastd port 10000 of domain 'ffy' collides with the fastd port of domain 'ffx'")
    }

    @Test func longDomainCodeWithoutInterfaceName() {
        expectSiteErrors(MinimalSite.with(
            domains: "domains:\n  - code: ⟨freifunk-city\n    prefix4: 10.99.0.0/16\n    prefix6: fd99::/64\n",
            gateways: "gateways:\n  - name: gw1\n    addresses:\n      freifunk-city: {ipv4: 10.99.0.1, ipv6: \"fd99::1\"}\n"),
            "interface 'bat-freifunk-city' is longer than 15 characters; set a shorter 'interface_name' (at most 11)")
    }

    @Test func longInterfaceNameIsBlamedOnItself() {
        expectSiteErrors(oneDomain("    interface_name: ⟨abcdefghijkl\n    prefix4: 10.99.0.0/16\n    prefix6: fd99::/64"),
                         "interface 'bat-abcdefghijkl' is longer than 15 characters; set a shorter 'interface_name' (at most 11)")
    }

    @Test func elevenCharactersFitAndInterfaceNameShortensALongCode() throws {
        let exact = try SiteLoader.load(yaml: MinimalSite.with(
            domains: "domains:\n  - code: ffx\n    interface_name: abcdefghijk\n    prefix4: 10.99.0.0/16\n    prefix6: fd99::/64\n"), file: MarkedSite.file)
        #expect(exact.site.domains[0].fastdInterface == "vpn-abcdefghijk")
        let shortened = try SiteLoader.load(yaml: MinimalSite.with(
            domains: "domains:\n  - code: freifunk-city\n    interface_name: city\n    prefix4: 10.99.0.0/16\n    prefix6: fd99::/64\n",
            gateways: "gateways:\n  - name: gw1\n    addresses:\n      freifunk-city: {ipv4: 10.99.0.1, ipv6: \"fd99::1\"}\n"), file: MarkedSite.file)
        let domain = shortened.site.domains[0]
        #expect([domain.bridgeInterface, domain.batmanInterface, domain.fastdInterface] == ["br-city", "bat-city", "vpn-city"])
    }

    @Test func twoDomainsWithOneInterfaceName() {
        expectSiteErrors(MinimalSite.with(domains: """
            domains:
              - code: ffx
                prefix4: 10.99.0.0/16
                prefix6: fd99::/64
              - code: ffy
                interface_name: ⟨ffx
                prefix4: 10.98.0.0/16
                prefix6: fd98::/64

            """),
            "interface name 'ffx' is used by domain 'ffx' too")
    }

    @Test func domainWithoutGatewayIsAWarning() {
        expectSiteWarnings(MinimalSite.with(domains: MinimalSite.domains + "  - code: ⟨ffy\n    prefix4: 10.98.0.0/16\n    prefix6: fd98::/64\n"),
                           "no gateway serves domain 'ffy'")
    }
}
