import Foundation
import Testing
@testable import GatewayKit
@testable import GatewayBase

/// `backbone` and `gateways[].tinc_public_key`: one tinc port per domain, kept off every port gwsetup already decides,
/// and a public key that must be one RSA key in base64 before any byte of it reaches a host file.
@Suite struct SiteBackboneTests {
    /// The minimal site's domain and a second one without IPv4.
    static let twoDomains = MinimalSite.domains.trimmingCharacters(in: .newlines) + "\n  - code: ffy\n    prefix6: fd98::/64\n\n"

    private func site(_ backbone: String, key: String = TincKeyFixtures.gatewayA, domains: String = MinimalSite.domains,
                      uplink: String = "eth0") -> String {
        MinimalSite.with(domains: domains, gateways: """
            gateways:
              - name: gw1
                uplink: \(uplink)
                tinc_public_key: \(key)
                addresses:
                  ffx: {ipv4: 10.99.0.1, ipv6: "fd99::1"}

            """) + backbone
    }

    @Test func theShortFormMeshesOverTincFromItsDefaultPort() throws {
        let site = try SiteLoader.load(yaml: site("backbone: tinc\n"), file: "site.yaml").site
        #expect(site.backbone == BackboneSettings(kind: .tinc, basePort: 655))
        #expect(site.backbonePort(of: site.domains[0]) == 655)
        #expect(site.gateways[0].tincPublicKey?.bits == 2048)
        #expect(site.gateways[0].tincPublicKey?.base64 == TincKeyFixtures.gatewayA)
    }

    @Test func eachDomainGetsTheNextPort() throws {
        let site = try SiteLoader.load(yaml: site("backbone: {kind: tinc, port: 7000}\n", domains: Self.twoDomains), file: "site.yaml").site
        #expect(site.domains.map { site.backbonePort(of: $0) } == [7000, 7001])
        #expect(site.domains.map(\.backboneInterface) == ["tnc-ffx", "tnc-ffy"])
    }

    @Test func aSiteWithoutBackboneHasNone() throws {
        #expect(try SiteLoader.load(yaml: MinimalSite.with(), file: "site.yaml").site.backbone == nil)
    }

    @Test func onlyTincIsABackbone() {
        expectSiteErrors(site("backbone: ⟨wireguard\n"), "the backbone kind must be tinc, not 'wireguard'")
        expectSiteErrors(site("backbone: {kind: ⟨gre}\n"), "the backbone kind must be tinc, not 'gre'")
        expectSiteErrors(site("backbone: ⟨{port: 655}\n"), "'backbone' needs 'kind'")
        expectSiteErrors(site("backbone: {kind: tinc, ⟨prot: 655}\n"), "unknown key 'prot' in 'backbone'; did you mean 'port'?")
    }

    @Test func tincPortsMayNotMeetAPortGwsetupDecides() {
        expectSiteErrors(site("backbone: {kind: tinc, port: ⟨10000}\n"),
                         "tinc port 10000 of domain 'ffx' (backbone port + 0) is fastd of domain 'ffx', already open to nodes")
        expectSiteErrors(site("backbone: {kind: tinc, port: ⟨22}\n"),
                         "tinc port 22 of domain 'ffx' (backbone port + 0) is SSH, which access.ssh_allow_from opens")
        expectSiteErrors(site("backbone: {kind: tinc, port: ⟨52}\n", domains: Self.twoDomains),
                         "tinc port 53 of domain 'ffy' (backbone port + 1) would make the gateway an open resolver (DNS stays closed there)")
        expectSiteErrors(site("backbone: {kind: tinc, port: ⟨65535}\n", domains: Self.twoDomains),
                         "the backbone needs ports 65535-65536, one per domain, which runs past 65535; lower 'port'")
        expectSiteErrors(site("backbone: {kind: tinc, port: ⟨0}\n"), "'port' must be between 1 and 65535, not 0")
    }

    @Test func aFirewallOpeningMayNotTakeATincPort() {
        expectSiteErrors(site("backbone: tinc\nfirewall:\n  open:\n    - {on: uplink, proto: udp, port: ⟨655}\n"),
                         "firewall opening 'udp-655': udp/655 on the uplink is tinc of domain 'ffx', already open to the backbone")
    }

    @Test func theUplinkMayNotBeTheBackbonesTap() {
        expectSiteErrors(site("backbone: tinc\n", uplink: "tnc-ffx").replacingOccurrences(of: "uplink: tnc-ffx", with: "uplink: ⟨tnc-ffx"),
                         "uplink 'tnc-ffx' is the backbone interface gwsetup creates for domain 'ffx'; name the WAN interface")
    }

    @Test func keysThatAreNotOneRSAKeyAreRefused() {
        let ed25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIAI0BlFU3w5C9pSxuIZ1Sn1HoBGE8XCJS1re3CBLw8qO"
        expectSiteErrors(site("backbone: tinc\n", key: "⟨\(TincKeyFixtures.short)"),
                         "'tinc_public_key' is an RSA key of 1024 bits; tinc host keys here have 2048 to 8192; paste the line apply printed")
        expectSiteErrors(site("backbone: tinc\n", key: "⟨\(ed25519)"),
                         "'tinc_public_key' is not an RSA public key (PKCS#1 DER: a SEQUENCE of modulus and exponent, as tincd -K writes); paste the line apply printed")
        expectSiteErrors(site("backbone: tinc\n", key: "⟨'-----BEGIN RSA PUBLIC KEY-----'"),
                         "'tinc_public_key' is not base64 (letters, digits, '+', '/', '=' padding, a multiple of 4 characters); paste the line apply printed")
        expectSiteErrors(site("backbone: tinc\n", key: "⟨\"AAAA\\nAddress = 192.0.2.66\""),
                         "'tinc_public_key' contains the control character \\n: 'AAAA\\nAddress = 192.0.2.66'")
        // Trailing bytes after the SEQUENCE: a second key (or anything) smuggled behind the first.
        let trailing = (Data(base64Encoded: TincKeyFixtures.gatewayA)! + Data([0x02, 0x01, 0x03])).base64EncodedString()
        expectSiteErrors(site("backbone: tinc\n", key: "⟨\(trailing)"),
                         "'tinc_public_key' is not an RSA public key (PKCS#1 DER: a SEQUENCE of modulus and exponent, as tincd -K writes); paste the line apply printed")
    }

    @Test func theParserTakesApartWhatItAccepts() throws {
        let key = try #require(TincPublicKey(TincKeyFixtures.gatewayB))
        let lines = key.pemLines
        #expect(lines.first == "-----BEGIN RSA PUBLIC KEY-----" && lines.last == "-----END RSA PUBLIC KEY-----")
        #expect(lines.dropFirst().dropLast().joined() == TincKeyFixtures.gatewayB)
        #expect(lines.dropFirst().dropLast().allSatisfy { $0.count <= 64 })
        // Non-minimal DER (a zero byte before a modulus whose top bit is clear) and a zero exponent are not keys.
        var der = [UInt8](Data(base64Encoded: TincKeyFixtures.gatewayB)!)
        der[der.count - 3] = 0x00
        der[der.count - 2] = 0x00
        der[der.count - 1] = 0x00
        #expect(TincPublicKey(Data(der).base64EncodedString()) == nil)
        #expect(TincPublicKey(TincKeyFixtures.gatewayB + "=") == nil)
        #expect(TincPublicKey(String(TincKeyFixtures.gatewayB.dropLast(4))) == nil)
    }

    @Test func aGatewayWithoutAKeyIsNamedAtEveryLoad() {
        let text = MinimalSite.with(gateways: """
            gateways:
              - name: gw1
                tinc_public_key: \(TincKeyFixtures.gatewayA)
                addresses:
                  ffx: {ipv4: 10.99.0.1, ipv6: "fd99::1"}
              - name: ⟨gw2
                addresses:
                  ffx: {ipv4: 10.99.0.2, ipv6: "fd99::2"}

            """) + "backbone: tinc\n"
        expectSiteWarnings(text, "gateway 'gw2' has no tinc_public_key yet: the other gateways leave it out of the backbone until the key its apply prints is in the site")
    }
}
