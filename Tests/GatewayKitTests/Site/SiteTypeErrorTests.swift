import Testing
@testable import GatewayKit

/// Values of the wrong kind: the message names the key and what was found instead.
@Suite struct SiteTypeErrorTests {
    private func domain(_ extra: String) -> String {
        MinimalSite.with(domains: """
            domains:
              - code: ffx
                prefix4: 10.99.0.0/16
                prefix6: fd99::/64
            \(extra)

            """)
    }

    @Test func quotedStringWhereNumberExpected() {
        expectSiteErrors(domain("    mtu: ⟨\"1312\""), "'mtu' must be a whole number, not '1312'")
    }

    @Test func wordWhereNumberExpected() {
        expectSiteErrors(domain("    fastd: {port: ⟨tenthousand}"), "'port' must be a whole number, not 'tenthousand'")
        expectSiteErrors(domain("    mtu: ⟨1312.5"), "'mtu' must be a whole number, not '1312.5'")
    }

    @Test func numberTooLargeForAnyRangeNamesTheRange() {
        expectSiteErrors(domain("    dhcp: {lease_time: ⟨922337203685477580799}"), "'lease_time' must be between 60 and 604800, not a 21-digit number")
    }

    @Test func listWhereNumberExpected() {
        expectSiteErrors(domain("    fastd: {port: ⟨[10000, 10001]}"), "'port' must be a whole number, not a list")
    }

    @Test func listWhereMappingExpected() {
        expectSiteErrors(domain("    fastd: ⟨[10000]"), "'fastd' must be a mapping of keys, not a list")
        expectSiteErrors(MinimalSite.with(identity: "site: ⟨[ffx]\n"), "'site' must be a mapping of keys, not a list")
    }

    @Test func mappingWhereListExpected() {
        expectSiteErrors(MinimalSite.with(domains: "domains:\n  ⟨code: ffx\n"), "'domains' must be a list, not a mapping")
    }

    @Test func scalarWhereListExpected() {
        expectSiteErrors(MinimalSite.with(services: "services: {ntp: {servers: ⟨pool.ntp.org}}\n"),
                         "'servers' must be a list, not 'pool.ntp.org'")
    }

    @Test func listWhereStringExpected() {
        expectSiteErrors(MinimalSite.with(services: "services: {ntp: {servers: [⟨[pool.ntp.org]]}}\n"),
                         "item 0 of 'servers' must be a string, not a list")
    }

    @Test func boolGarbage() {
        expectSiteErrors(domain("    batman: {multicast_optimizations: ⟨maybe}"), "'multicast_optimizations' must be true or false, not 'maybe'")
        expectSiteErrors(MinimalSite.with(services: "services: {fail2ban: {enabled: ⟨1}}\n"), "'enabled' must be true or false, not '1'")
        expectSiteErrors(MinimalSite.with(services: "services: {monitoring: {alfred: ⟨\"yes\"}}\n"), "'alfred' must be true or false, not 'yes'")
    }

    @Test func numbersOutOfRange() {
        expectSiteErrors(domain("    fastd: {port: ⟨70000}"), "'port' must be between 1 and 65535, not 70000")
        expectSiteErrors(domain("    fastd: {port: ⟨0}"), "'port' must be between 1 and 65535, not 0")
        expectSiteErrors(MinimalSite.with(access: "access: {ssh_port: ⟨65536}\n"), "'ssh_port' must be between 1 and 65535, not 65536")
        expectSiteErrors(domain("    dhcp: {lease_time: ⟨30}"), "'lease_time' must be between 60 and 604800, not 30")
        expectSiteErrors(domain("    batman: {hop_penalty: ⟨256}"), "'hop_penalty' must be between 0 and 255, not 256")
    }

    @Test func enumeratedValues() {
        expectSiteErrors(domain("    batman: {routing_algo: ⟨BATMAN_VI}"), "'routing_algo' must be BATMAN_IV or BATMAN_V, not 'BATMAN_VI'")
        expectSiteErrors(domain("    batman: {gw_bandwidth: ⟨100mbps}"), "'gw_bandwidth' must look like 100mbit/100mbit, not '100mbps'")
        expectSiteErrors(domain("    fastd: {methods: [salsa2012+umac, ⟨\"aes 128\"]}"), "'aes 128' is not a fastd method (e.g. salsa2012+umac, null, null@l2tp)")
        expectSiteErrors(domain("    fastd: {methods: ⟨[]}"), "'methods' needs at least one fastd method")
    }

    @Test func unquotedNullIsFastdsNullMethod() throws {
        let loaded = try SiteLoader.load(yaml: domain("    fastd: {methods: [null, salsa2012+umac]}"), file: MarkedSite.file)
        #expect(loaded.site.domains[0].fastd.methods == ["null", "salsa2012+umac"])
    }

    @Test func malformedValuesOfOtherKinds() {
        expectSiteErrors(MinimalSite.with(identity: "site: {code: ⟨1ffx}\n"), "'code' '1ffx' may hold only letters, digits, '_' and '-', starting with a letter")
        expectSiteErrors(MinimalSite.with(identity: "site: {code: ffx, dns_domain: ⟨ffx..example}\n"), "'ffx..example' is not a DNS name")
        expectSiteErrors(MinimalSite.with(services: "services: {dns: {forwarders: [⟨dns.quad9.net]}}\n"), "DNS forwarder 'dns.quad9.net' is not an IP address")
        expectSiteErrors(MinimalSite.with(services: "services: {fail2ban: {sshd: {bantime: ⟨1y}}}\n"), "'1y' is not a duration (e.g. 600, 10m, 1h, 1d)")
        expectSiteErrors(MinimalSite.with(gateways: """
            gateways:
              - name: gw1
                ssh: ⟨root@gw1.example:99999
                addresses:
                  ffx: {ipv4: 10.99.0.1, ipv6: "fd99::1"}

            """),
            "'ssh' port in 'root@gw1.example:99999' must be between 1 and 65535")
    }
}
