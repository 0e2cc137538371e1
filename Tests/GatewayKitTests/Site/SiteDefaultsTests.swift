import Testing
@testable import GatewayKit

/// A site with only the required keys gets the documented defaults, so a short file is a working one.
@Suite struct SiteDefaultsTests {
    static let minimal = """
        site: {code: ffx}
        domains:
          - code: ffx
            prefix4: 10.99.0.0/16
            prefix6: fd99::/64
          - code: ffy
            prefix6: fd98::/64
        gateways:
          - name: gw1
            addresses:
              ffx: {ipv4: 10.99.0.1, ipv6: "fd99::1"}
              ffy: {ipv6: "fd98::1"}

        """

    let site: Site

    init() throws {
        let loaded = try SiteLoader.load(yaml: Self.minimal, file: "minimal.yaml")
        #expect(loaded.warnings.isEmpty)
        site = loaded.site
    }

    @Test func identityDefaults() {
        #expect(site.identity == SiteIdentity(code: "ffx", name: "ffx", dnsDomain: "ffx.lan", timezone: "Etc/UTC"))
        #expect(site.templatesDirectory == nil)
    }

    @Test func domainDefaults() {
        let ffx = site.domains[0]
        #expect(ffx.interfaceName == "ffx")
        #expect([ffx.bridgeInterface, ffx.batmanInterface, ffx.fastdInterface] == ["br-ffx", "bat-ffx", "vpn-ffx"])
        #expect(ffx.mtu == 1312)
        #expect(ffx.fastd == FastdSettings(port: 10000, methods: ["salsa2012+umac"], peerLimit: nil))
        #expect(ffx.batman == BatmanSettings(routingAlgorithm: .batmanIV, gatewayBandwidth: "100mbit/100mbit", hopPenalty: 15,
                                             originatorInterval: 5000, multicastOptimizations: true))
        #expect(ffx.dhcp == DHCPSettings(leaseTime: 600, range: nil))
        #expect(ffx.routerAdvertisement.defaultRouters.isEmpty)
    }

    @Test func fastdPortCountsUpByDomainIndex() {
        #expect(site.domains.map(\.fastd.port) == [10000, 10001])
        #expect(site.domains[1].prefix4 == nil)
    }

    @Test func serviceDefaults() {
        #expect(site.services.dns == DNSSettings(forwarders: [], localRecords: []))
        #expect(site.services.ntp.servers == ["0.debian.pool.ntp.org", "1.debian.pool.ntp.org"])
        #expect(site.services.fail2ban == Fail2banSettings(enabled: true, maxRetry: 5, banTime: "1h", findTime: "10m"))
        #expect(site.services.monitoring == MonitoringSettings(respondd: false, alfred: false, vnstat: false))
    }

    @Test func accessDefaults() {
        #expect(site.access.sshPort == 22)
        #expect(site.access.admins.isEmpty)
        #expect(site.access.sshAllowedSources.map(\.description) == ["0.0.0.0/0", "::/0"])
    }

    @Test func gatewayDefaults() {
        let gateway = site.gateways[0]
        #expect(gateway.connection == .local)
        #expect(gateway.uplink == "eth0")
        #expect(gateway.domains.map(\.dhcpRange) == [nil, nil])
    }

    @Test func defaultsAreTheDocumentedConstants() {
        // SITE-REFERENCE.md quotes these; a change here must change the reference too.
        #expect(SiteDefaults.mtu == 1312 && SiteDefaults.fastdBasePort == 10000 && SiteDefaults.dhcpLeaseTime == 600)
        #expect(SiteDefaults.dhcpGatewaySlots == 8 && SiteDefaults.maxInterfaceNameLength == 15)
        #expect(SiteDefaults.mtuRange == 1280...1426 && SiteDefaults.mtuWarningBelow == 1312 && SiteDefaults.mtuWarningAbove == 1406)
    }

    @Test func sshConnectionDefaultsToRootOnPort22InEverySpelling() throws {
        func connection(_ ssh: String) throws -> GatewayConnection {
            let text = Self.minimal.replacingOccurrences(of: "  - name: gw1\n", with: "  - name: gw1\n    ssh: \(ssh)\n")
            return try SiteLoader.load(yaml: text, file: "minimal.yaml").site.gateways[0].connection
        }
        #expect(try connection("local") == .local)
        #expect(try connection("gw1.example") == .ssh(user: "root", host: "gw1.example", port: 22))
        #expect(try connection("admin@gw1.example:2222") == .ssh(user: "admin", host: "gw1.example", port: 2222))
        #expect(try connection("\"admin@[2001:db8::1]:2222\"") == .ssh(user: "admin", host: "2001:db8::1", port: 2222))
        #expect(try connection("\"2001:db8::1\"") == .ssh(user: "root", host: "2001:db8::1", port: 22))
        #expect(try connection("\"[2001:db8::1]\"") == .ssh(user: "root", host: "2001:db8::1", port: 22))
        #expect(try connection("{host: gw1.example, port: 2200}") == .ssh(user: "root", host: "gw1.example", port: 2200))
    }
}
