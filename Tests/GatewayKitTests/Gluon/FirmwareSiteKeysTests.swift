import Testing
@testable import GatewayKit
@testable import GatewayBase

/// The site keys gluon import/export/check rely on: read, defaulted and refused with FILE:LINE:COL like every other key.
@Suite("Site keys for the firmware: next_node, domain_seed, firmware, public_host, fastd_public_key")
struct FirmwareSiteKeysTests {
    static let key = String(repeating: "Ab", count: 32)

    /// A one-domain site; `domainExtra` and `gatewayExtra` are spliced in as lines of the domain and the gateway.
    static func yaml(top: String = "", domainExtra: String = "", gatewayExtra: String = "", address: String = "ipv4: 10.99.0.1, ipv6: \"fd99::1\"") -> String {
        """
        site: {code: ffx}
        \(top)
        domains:
          - code: ffx
            prefix4: 10.99.0.0/16
            prefix6: "fd99::/64"
        \(domainExtra)
        gateways:
          - name: gw1
            ssh: root@gw1.example.org
        \(gatewayExtra)
            addresses:
              ffx: {\(address)}
        """
    }

    @Test func valuesAreReadNormalisedAndDefaulted() throws {
        let site = try SiteLoader.load(yaml: Self.yaml(
            top: "firmware: {ntp_servers: [ntp.example.org, \"fd99::1\"], dns_servers: [\"FD99::0:1\"], backbone_limit: 2}",
            domainExtra: "    next_node: {ipv4: 10.99.0.254, ipv6: \"fd99::fe\", mac: \"16:41:95:40:F7:DC\"}\n    domain_seed: \(Self.key)\n    firmware: {ntp_servers: [ntp.ffx.example]}",
            address: "ipv4: 10.99.0.1, ipv6: \"fd99::1\", fastd_public_key: \(Self.key)"), file: "site.yaml").site
        let domain = site.domains[0]
        #expect(domain.nextNode == NextNode(ipv4: IPv4Address("10.99.0.254"), ipv6: IPv6Address("fd99::fe"), mac: "16:41:95:40:f7:dc"))
        #expect(domain.domainSeed == Self.key.lowercased())
        #expect(site.gateways[0].domain("ffx")?.fastdPublicKey == Self.key.lowercased())
        #expect(site.gateways[0].nodeFacingHost == "gw1.example.org", "public_host defaults to the SSH host")
        let firmware = site.firmware(for: domain)
        #expect(firmware.ntpServers == ["ntp.ffx.example"], "the domain's own list wins")
        #expect(firmware.dnsServers?.map(\.description) == ["fd99::1"])
        #expect(firmware.backboneLimit == 2)

        let plain = try SiteLoader.load(yaml: Self.yaml(gatewayExtra: "    public_host: 192.0.2.7"), file: "site.yaml").site
        #expect(plain.domains[0].nextNode == nil && plain.domains[0].domainSeed == nil && plain.firmware == FirmwareSettings())
        #expect(plain.gateways[0].nodeFacingHost == "192.0.2.7")
    }

    @Test(arguments: [
        (yaml(domainExtra: "    next_node: {ipv4: 10.98.0.1}"), "site.yaml:7:23: next_node ipv4 10.98.0.1 is outside prefix4 10.99.0.0/16 of domain 'ffx'"),
        (yaml(domainExtra: "    next_node: {ipv6: \"fd98::1\"}"), "site.yaml:7:23: next_node ipv6 fd98::1 is outside prefix6 fd99::/64 of domain 'ffx'"),
        (yaml(domainExtra: "    next_node: {mac: \"16:41:95:40:f7\"}"), "site.yaml:7:22: next_node mac '16:41:95:40:f7' is not a MAC address (want 16:41:95:40:f7:dc)"),
        (yaml(domainExtra: "    next_node: {ipv4: 10.99.0.300}"), "site.yaml:7:23: next_node ipv4 '10.99.0.300' is not an IPv4 address"),
        (yaml(domainExtra: "    next_node: {ipv4: 10.99.0.1}"), "site.yaml:13:19: gateway 'gw1' has 10.99.0.1, the next_node address of domain 'ffx' that every node answers on"),
        (yaml(domainExtra: "    domain_seed: 0711ff"), "site.yaml:7:18: 'domain_seed' must be 64 hex digits, not '0711ff'"),
        (yaml(address: "ipv4: 10.99.0.1, ipv6: \"fd99::1\", fastd_public_key: xyz"), "site.yaml:13:65: 'fastd_public_key' must be 64 hex digits, not 'xyz'"),
        (yaml(gatewayExtra: "    public_host: \"gw 1\""), "site.yaml:11:18: 'public_host' must be a host name or an IP address, not 'gw 1'"),
        (yaml(top: "firmware: {dns_servers: [dns.example.org]}"), "site.yaml:2:26: DNS server 'dns.example.org' is not an IP address (nodes cannot resolve a name to find their resolver)"),
        (yaml(top: "firmware: {ntp_server: [ntp.example.org]}"), "site.yaml:2:12: unknown key 'ntp_server' in 'firmware'; did you mean 'ntp_servers'?"),
        (yaml(top: "firmware: {backbone_limit: 0}"), "site.yaml:2:28: 'backbone_limit' must be between 1 and 64, not 0"),
    ])
    func mistakesAreOneLineWithFileLineColumn(yaml: String, message: String) {
        do {
            _ = try SiteLoader.load(yaml: yaml, file: "site.yaml")
            Issue.record("loaded, but should fail with: \(message)")
        } catch {
            #expect("\(error)" == message)
        }
    }
}
