import Testing
@testable import GatewayKit

/// `fastd.instances` and a gateway's `fastd_port`: every port an instance binds is checked, each error at its key.
@Suite struct SiteFastdInstancesCheckTests {
    private func oneDomain(_ fastd: String, gateway: String = "{ipv4: 10.99.0.1, ipv6: \"fd99::1\"}", access: String = "") -> String {
        MinimalSite.with(domains: "domains:\n  - code: ffx\n    prefix4: 10.99.0.0/16\n    prefix6: fd99::/64\n    fastd: \(fastd)\n",
                         access: access, gateways: "gateways:\n  - name: gw1\n    addresses:\n      ffx: \(gateway)\n")
    }

    /// ffx with two instances from 10000, and ffy on `ffyPort` (marked where a test expects its error).
    private func twoDomains(ffyPort: String) -> String {
        """
        domains:
          - code: ffx
            prefix4: 10.99.0.0/16
            prefix6: fd99::/64
            fastd: {port: 10000, instances: 2}
          - code: ffy
            prefix4: 10.98.0.0/16
            prefix6: fd98::/64
            fastd: {port: \(ffyPort)}

        """
    }

    @Test func instancesAndPortsLoad() throws {
        let loaded = try SiteLoader.load(yaml: oneDomain("{instances: 3, peer_limit: 100}", gateway: "{ipv4: 10.99.0.1, ipv6: \"fd99::1\", fastd_port: 10100}"), file: "site.yaml")
        let domain = try #require(loaded.site.domains.first)
        let instances = domain.fastdInstances(on: loaded.site.gateways[0].domain("ffx"))
        #expect(instances.map(\.port) == [10100, 10101, 10102])
        #expect(instances.map(\.interface) == ["vpn-ffx", "vpn2-ffx", "vpn3-ffx"])
        #expect(instances.map(\.name) == ["ffx", "ffx.2", "ffx.3"])
        #expect(instances.map(\.peerLimit) == [34, 34, 34])
        #expect(domain.fastdInstances(on: nil).map(\.port) == [10000, 10001, 10002])
    }

    @Test func instanceCountOutsideItsRange() {
        expectSiteErrors(oneDomain("{instances: ⟨0}"), "'instances' must be between 1 and 64, not 0")
        expectSiteErrors(oneDomain("{instances: ⟨65}"), "'instances' must be between 1 and 64, not 65")
        expectSiteErrors(oneDomain("{instances: ⟨two}"), "'instances' must be a whole number, not 'two'")
    }

    @Test func aLaterInstanceCollidingWithSSHPointsAtInstances() {
        expectSiteErrors(oneDomain("{port: 2220, instances: ⟨3}", access: "access: {ssh_port: 2222}\n"),
                         "fastd port 2222 (instance 3) of domain 'ffx' collides with the SSH port")
    }

    @Test func instancesRunningIntoTheNextDomainsPort() {
        expectSiteErrors(MinimalSite.with(domains: twoDomains(ffyPort: "⟨10001")),
            "fastd port 10001 of domain 'ffy' collides with fastd port 10001 (instance 2) of domain 'ffx'")
    }

    @Test func aGatewaysPortCollidingWithSSH() {
        expectSiteErrors(oneDomain("{port: 10000}", gateway: "{ipv4: 10.99.0.1, ipv6: \"fd99::1\", fastd_port: ⟨22}"),
                         "fastd port 22 of gateway 'gw1' in domain 'ffx' collides with the SSH port")
        expectSiteErrors(oneDomain("{port: 10000}", gateway: "{ipv4: 10.99.0.1, ipv6: \"fd99::1\", fastd_port: ⟨70000}"),
                         "'fastd_port' must be between 1 and 65535, not 70000")
    }

    @Test func aGatewaysPortCollidingWithItsOtherDomain() {
        expectSiteErrors(MinimalSite.with(domains: twoDomains(ffyPort: "10010"), gateways: """
            gateways:
              - name: gw1
                addresses:
                  ffx: {ipv4: 10.99.0.1, ipv6: "fd99::1", fastd_port: 10020}
                  ffy: {ipv4: 10.98.0.1, ipv6: "fd98::1", fastd_port: ⟨10021}

            """),
            "fastd port 10021 of gateway 'gw1' in domain 'ffy' collides with fastd port 10021 (instance 2) of gateway 'gw1' in domain 'ffx'")
    }

    @Test func theLastPortMustExist() {
        expectSiteErrors(oneDomain("{port: 65535, instances: ⟨2}"), "fastd port 65536 (instance 2) of domain 'ffx' is above 65535; lower 'fastd.port' or 'fastd.instances'")
        expectSiteErrors(oneDomain("{port: 10000, instances: 2}", gateway: "{ipv4: 10.99.0.1, ipv6: \"fd99::1\", fastd_port: ⟨65535}"),
                         "fastd port 65536 (instance 2) of gateway 'gw1' in domain 'ffx' is above 65535")
    }

    @Test func interfaceBudgetCountsTheLongestInstanceName() {
        // vpn10-abcdefghij is 16 bytes: with ten instances the interface name may have 9.
        expectSiteErrors(MinimalSite.with(
            domains: "domains:\n  - code: ffx\n    interface_name: ⟨abcdefghij\n    prefix4: 10.99.0.0/16\n    prefix6: fd99::/64\n    fastd: {instances: 10}\n"),
            "interface 'vpn10-abcdefghij' is longer than 15 characters; set a shorter 'interface_name' (at most 9)")
        expectSiteWarnings(MinimalSite.with(
            domains: "domains:\n  - code: ffx\n    interface_name: abcdefghi\n    prefix4: 10.99.0.0/16\n    prefix6: fd99::/64\n    fastd: {instances: 10}\n"))
    }

    @Test func anUplinkNamedLikeAnInstanceInterfaceIsRefused() {
        expectSiteErrors(MinimalSite.with(
            domains: "domains:\n  - code: ffx\n    prefix4: 10.99.0.0/16\n    prefix6: fd99::/64\n    fastd: {instances: 2}\n",
            gateways: "gateways:\n  - name: gw1\n    uplink: ⟨vpn2-ffx\n    addresses:\n      ffx: {ipv4: 10.99.0.1, ipv6: \"fd99::1\"}\n"),
            "uplink 'vpn2-ffx' is an interface gwsetup creates for domain 'ffx'; name the WAN interface")
    }
}
