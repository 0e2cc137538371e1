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

/// Admins, keys and where SSH may come from: mistakes here lock the admin out.
@Suite struct SiteAccessCheckTests {
    static let ed25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIAI0BlFU3w5C9pSxuIZ1Sn1HoBGE8XCJS1re3CBLw8qO"

    private func admin(_ key: String) -> String {
        MinimalSite.with(access: "access:\n  admins:\n    - name: alice\n      keys: [⟨\"\(key)\"]\n")
    }

    @Test func validKeyLoadsWithItsComment() throws {
        let loaded = try SiteLoader.load(yaml: MarkedSite(admin("ssh-ed25519 \(Self.ed25519) alice@laptop")).text, file: MarkedSite.file)
        #expect(loaded.site.access.admins.map(\.name) == ["alice"])
        #expect(loaded.site.access.admins[0].keys.map(\.comment) == ["alice@laptop"])
    }

    @Test func keyWhoseDataIsNotBase64() {
        expectSiteErrors(admin("ssh-ed25519 AAAA!!notbase64 alice@laptop"),
                         "admin 'alice' has a malformed SSH public key: the key data after 'ssh-ed25519' is not base64")
    }

    @Test func keyCutOffWhenPasted() {
        expectSiteErrors(admin("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAI0Bl alice@laptop"),
                         "admin 'alice' has a malformed SSH public key: the key data after 'ssh-ed25519' is not base64")
        expectSiteErrors(admin("ssh-ed25519 AAAAC3NzaC1l alice@laptop"),
                         "admin 'alice' has a malformed SSH public key: the key data after 'ssh-ed25519' is not an SSH key (cut off or pasted wrong?)")
    }

    @Test func keyWhoseDataIsAnotherType() {
        expectSiteErrors(admin("ssh-rsa \(Self.ed25519) alice@laptop"),
                         "admin 'alice' has a malformed SSH public key: the key data is a 'ssh-ed25519' key, but the line says 'ssh-rsa'")
    }

    @Test func keyOfUnknownType() {
        expectSiteErrors(admin("ssh-ed2551 \(Self.ed25519)"),
                         "admin 'alice' has a malformed SSH public key: unknown key type 'ssh-ed2551'; did you mean 'ssh-ed25519'?")
        expectSiteErrors(admin("\(Self.ed25519) alice@laptop"),
                         "admin 'alice' has a malformed SSH public key: unknown key type '\(Self.ed25519)'")
        expectSiteErrors(admin("ssh-dss AAAAB3NzaC1kc3MAAACBAP"),
                         "admin 'alice' has a malformed SSH public key: DSA keys ('ssh-dss') are disabled in OpenSSH; use ssh-ed25519")
    }

    @Test func keyWithoutData() {
        expectSiteErrors(admin("ssh-ed25519"),
                         "admin 'alice' has a malformed SSH public key: want 'TYPE BASE64 [comment]', e.g. 'ssh-ed25519 AAAA… alice@laptop'")
    }

    @Test func adminWithoutKeys() {
        expectSiteErrors(MinimalSite.with(access: "access:\n  admins:\n    - ⟨name: alice\n      keys: []\n"),
                         "admin 'alice' needs at least one SSH key: password logins are disabled")
        expectSiteErrors(MinimalSite.with(access: "access:\n  admins:\n    - ⟨name: alice\n"),
                         "'access.admins.0' needs 'keys'")
    }

    @Test func adminNamesMustBeUsersAndUnique() {
        let key = "[\"ssh-ed25519 \(Self.ed25519)\"]"
        expectSiteErrors(MinimalSite.with(access: "access:\n  admins:\n    - {name: ⟨Alice, keys: \(key)}\n"),
                         "admin name 'Alice' is not a valid Linux user name (lower case, digits, - and _)")
        expectSiteErrors(MinimalSite.with(access: "access:\n  admins:\n    - {name: alice, keys: \(key)}\n    - {name: ⟨alice, keys: \(key)}\n"),
                         "admin 'alice' is listed twice")
    }

    @Test func emptySSHAllowFrom() {
        expectSiteErrors(MinimalSite.with(access: "access:\n  ssh_allow_from: ⟨[]\n"), "'ssh_allow_from' is empty: nobody could log in")
    }

    @Test func sshAllowFromWithHostBits() {
        expectSiteErrors(MinimalSite.with(access: "access:\n  ssh_allow_from: [⟨192.0.2.1/24]\n"),
                         "'192.0.2.1/24' in 'ssh_allow_from' is not an address prefix")
    }
}

/// One round of fixing: every cross-check failure of a file is reported together.
@Suite struct SiteAllErrorsTests {
    @Test func everySemanticErrorIsReportedAtOnce() {
        expectSiteErrors("""
            site: {code: ffx}
            domains:
              - code: ffx
                prefix4: 10.99.0.0/16
                prefix6: fd99::/64
                mtu: ⟨1500
              - code: ffy
                prefix4: ⟨10.99.0.0/17
                prefix6: ⟨fd99:0:0:100::/56
                fastd: {port: ⟨10000}
            access: {ssh_port: 22}
            gateways:
              - name: gw1
                addresses:
                  ffx: {ipv4: ⟨10.98.0.1, ipv6: "fd99::1"}
              - name: ⟨gw1
                uplink: ⟨a-very-long-uplink
                addresses:
                  ffx: {ipv4: 10.99.0.2, ipv6: ⟨"fd99::1"}
                  ⟨ffz: {ipv6: "fd97::1"}

            """,
            "mtu 1500 is outside what fastd and batman-adv can carry (1280–1426)",
            "prefix4 10.99.0.0/17 of domain 'ffy' overlaps 10.99.0.0/16 of domain 'ffx'",
            "prefix6 fd99:0:0:100::/56 must be a /64: SLAAC and router advertisements need one",
            "fastd port 10000 of domain 'ffy' collides with the fastd port of domain 'ffx'",
            "gateway address 10.98.0.1 is outside prefix4 10.99.0.0/16 of domain 'ffx'",
            "gateway name 'gw1' is used twice",
            "uplink 'a-very-long-uplink' is not a valid interface name (1–15 characters, no '/' or space)",
            "address fd99::1 is used by gateway 'gw1' too",
            "gateway 'gw1' has addresses in domain 'ffz', which does not exist; did you mean 'ffx'?")
    }
}
