import Foundation
import Testing
@testable import GatewayKit
@testable import GatewayBase

/// `exit` and `gateways[].exit_address`: a WireGuard peer whose every value reaches a netdev file, so each one must be
/// what its grammar says before any byte of it is written; and the cross-checks that keep the tunnel's address and
/// interface apart from everything else the site names.
@Suite struct SiteExitTests {
    static let key = ExitFixture.serverKey
    /// The minimal site's domain and a second one without IPv4.
    static let twoDomains = MinimalSite.domains.trimmingCharacters(in: .newlines) + "\n  - code: ffy\n    prefix6: fd98::/64\n\n"

    /// gw1 serves ffx through the exit; gw2 serves only ffy, which has no IPv4 for an exit to carry.
    static func exitAndIPv6Gateways(gw2ExitAddress: String? = nil) -> String {
        """
        gateways:
          - name: gw1
            exit_address: 10.200.0.2/32
            addresses:
              ffx: {ipv4: 10.99.0.1, ipv6: "fd99::1"}
          - name: gw2
        \(gw2ExitAddress.map { "    exit_address: \($0)\n" } ?? "")    addresses:
              ffy: {ipv6: "fd98::2"}

        """
    }

    static func gateway(exitAddress: String? = "10.200.0.2/32", uplink: String = "eth0") -> String {
        """
        gateways:
          - name: gw1
            uplink: \(uplink)
        \(exitAddress.map { "    exit_address: \($0)\n" } ?? "")    addresses:
              ffx: {ipv4: 10.99.0.1, ipv6: "fd99::1"}

        """
    }

    private func site(_ exit: String, gateways: String = SiteExitTests.gateway(), domains: String = MinimalSite.domains,
                      services: String = "") -> String {
        MinimalSite.with(domains: domains, services: services, gateways: gateways) + exit
    }

    private func short(endpoint: String = "192.0.2.50:51820", key: String = SiteExitTests.key, _ more: String = "") -> String {
        "exit: {endpoint: \(endpoint), public_key: \(key)\(more)}\n"
    }

    /// The load's error lines, or nil when the site loads.
    private func errors(_ text: String) -> [String]? {
        do {
            _ = try SiteLoader.load(yaml: text, file: "site.yaml")
            return nil
        } catch let error as SiteErrors {
            return error.errors.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    // MARK: - What loads

    @Test func theFullFormSetsEveryField() throws {
        let site = try SiteLoader.load(yaml: site("""
            exit:
              endpoint: exit.example.net:51820
              public_key: \(Self.key)
              mtu: 1380
              keepalive: 0
              fallback: uplink
              domains: [ffx]

            """, domains: Self.twoDomains), file: "site.yaml").site
        let exit = try #require(site.exit)
        #expect(exit.endpoint == ExitEndpoint(host: "exit.example.net", port: 51820))
        #expect(exit.endpoint.description == "exit.example.net:51820")
        #expect(exit.publicKey.base64 == Self.key)
        #expect(exit.mtu == 1380 && exit.mss == 1340)
        #expect(exit.keepalive == 0)
        #expect(exit.fallback == .uplink)
        #expect(exit.domains == ["ffx"])
        #expect(site.gateways[0].exitAddress?.description == "10.200.0.2/32")
        #expect(site.exit(for: site.gateways[0]) == exit)
    }

    @Test func theShortFormTakesTheDefaultsAndCarriesEveryDomainWithIPv4() throws {
        let site = try SiteLoader.load(yaml: site(short(), domains: Self.twoDomains), file: "site.yaml").site
        let exit = try #require(site.exit)
        #expect(exit.mtu == 1420 && exit.mss == 1380, "WireGuard's MTU over an IPv4 underlay")
        #expect(exit.keepalive == 25 && exit.fallback == .none && exit.domains == nil)
        #expect(exit.carries(try #require(site.domain("ffx"))))
        #expect(!exit.carries(try #require(site.domain("ffy"))), "no prefix4: nothing of it is NATed, so nothing goes through the exit")
    }

    @Test func anIPv6EndpointIsWrittenInBrackets() throws {
        let site = try SiteLoader.load(yaml: site(short(endpoint: "\"[2001:db8::50]:51820\"")), file: "site.yaml").site
        let endpoint = try #require(site.exit?.endpoint)
        #expect(endpoint.host == "2001:db8::50" && endpoint.port == 51820)
        #expect(endpoint.description == "[2001:db8::50]:51820")
    }

    @Test func aSiteWithoutExitHasNone() throws {
        let site = try SiteLoader.load(yaml: MinimalSite.with(), file: "site.yaml").site
        #expect(site.exit == nil && site.exit(for: site.gateways[0]) == nil)
    }

    @Test func aGatewayServingNoCarriedDomainHasNoExit() throws {
        let site = try SiteLoader.load(yaml: site(short(", domains: [ffx]"), gateways: Self.exitAndIPv6Gateways(), domains: Self.twoDomains),
                                       file: "site.yaml").site
        #expect(site.exit(for: try #require(site.gateway("gw1"))) != nil)
        #expect(site.exit(for: try #require(site.gateway("gw2"))) == nil)
    }

    // MARK: - The validator's cross-checks

    @Test func aGatewayWhoseClientsUseTheExitNeedsATunnelAddress() {
        expectSiteErrors(site(short(), gateways: Self.gateway(exitAddress: nil).replacingOccurrences(of: "name: gw1", with: "name: ⟨gw1")),
                         "gateway 'gw1' sends the clients of 'ffx' through the exit, but has no exit_address; add the tunnel address the exit server assigned it")
    }

    @Test func aTunnelAddressWithoutExitIsRefused() {
        expectSiteErrors(site("", gateways: Self.gateway(exitAddress: "⟨10.200.0.2/32")),
                         "gateway 'gw1' has an exit_address, but the site has no 'exit'")
    }

    @Test func aTunnelAddressForAGatewayTheExitDoesNotServeIsRefused() {
        expectSiteErrors(site(short(", domains: [ffx]"), gateways: Self.exitAndIPv6Gateways(gw2ExitAddress: "⟨10.200.0.3/32"), domains: Self.twoDomains),
            "gateway 'gw2' serves no domain the exit carries, so its exit_address would go unused")
    }

    @Test func theTunnelAddressMayNotLieInAMeshPrefix() {
        expectSiteErrors(site(short(), gateways: Self.gateway(exitAddress: "⟨10.99.0.200/32")),
                         "exit_address 10.99.0.200/32 lies in domain 'ffx' (10.99.0.0/16); the tunnel needs an address of its own")
    }

    @Test func theTunnelSubnetMayNotOverlapAMeshPrefix() {
        expectSiteErrors(site(short(), gateways: Self.gateway(exitAddress: "⟨10.0.0.2/8")),
                         "exit_address 10.0.0.2/8 is a subnet that overlaps domain 'ffx' (10.99.0.0/16); the gateway would reach those clients through the tunnel")
    }

    @Test func theUplinkMayNotBeTheExitTunnel() {
        expectSiteErrors(site(short(), gateways: Self.gateway(uplink: "⟨gw-exit")),
                         "uplink 'gw-exit' is the exit tunnel gwsetup creates; name the WAN interface")
    }

    @Test func anIPv6UplinkCheckTargetCannotBeProbedThroughTheExit() {
        expectSiteErrors(site(short(), services: "services:\n  uplink_check:\n    targets: [192.0.2.80, ⟨\"2001:db8::80\"]\n"),
                         "uplink check target 2001:db8::80 is IPv6, but with an exit the probes go through the exit tunnel, which carries IPv4 only; probe an IPv4 address")
        // Without an exit, or with the uplink as its fallback, the same target is fine: the probes go out of the uplink.
        #expect(errors(site("", gateways: Self.gateway(exitAddress: nil), services: "services:\n  uplink_check:\n    targets: [\"2001:db8::80\"]\n")) == nil)
        #expect(errors(site(short(", fallback: uplink"), services: "services:\n  uplink_check:\n    targets: [\"2001:db8::80\"]\n")) == nil)
    }

    @Test func domainsMustBeThisSitesDomainsWithIPv4() {
        expectSiteErrors(site(short(", domains: [ffx, ⟨nowhere]")), "'domains' names 'nowhere', which is not a domain of this site")
        expectSiteErrors(site(short(", domains: [⟨ffy]"), domains: Self.twoDomains),
                         "domain 'ffy' has no prefix4: the exit carries the clients' IPv4, and this domain has none")
        expectSiteErrors(site(short(", domains: [ffx, ⟨ffx]")), "'domains' lists 'ffx' twice")
        expectSiteErrors(site(short(", domains: ⟨[]")), "'domains' is empty; leave it out to send every domain through the exit")
    }

    @Test func aSiteWithoutIPv4HasNothingForAnExitToCarry() {
        let domains = "domains:\n  - code: ffx\n    prefix6: fd99::/64\n\n"
        let gateways = "gateways:\n  - name: gw1\n    addresses:\n      ffx: {ipv6: \"fd99::1\"}\n\n"
        expectSiteErrors(site("exit: ⟨{endpoint: 192.0.2.50:51820, public_key: \(Self.key)}\n", gateways: gateways, domains: domains),
                         "no domain has a prefix4: the exit carries the clients' IPv4, and this site has none")
    }

    @Test func numbersAndFallbackStayInTheirRanges() {
        expectSiteErrors(site(short(", mtu: ⟨1000")), "'mtu' must be between 1280 and 9000, not 1000")
        expectSiteErrors(site(short(", mtu: ⟨9001")), "'mtu' must be between 1280 and 9000, not 9001")
        expectSiteErrors(site(short(", keepalive: ⟨-1")), "'keepalive' must be between 0 and 3600, not -1")
        expectSiteErrors(site(short(", keepalive: ⟨3601")), "'keepalive' must be between 0 and 3600, not 3601")
        expectSiteErrors(site(short(", fallback: ⟨both")), "'fallback' must be none or uplink, not 'both'")
        #expect(errors(site(short(", mtu: 1280, keepalive: 3600, fallback: none"))) == nil, "the edges load")
    }

    @Test func misspeltAndMissingKeysAreNamed() {
        expectSiteErrors(site("exit: ⟨{public_key: \(Self.key)}\n"), "'exit' needs 'endpoint'")
        expectSiteErrors(site("exit: ⟨{endpoint: 192.0.2.50:51820}\n"), "'exit' needs 'public_key'")
        expectSiteErrors(site(short(", ⟨fallbak: uplink")), "unknown key 'fallbak' in 'exit'; did you mean 'fallback'?")
        expectSiteErrors(site(short(), gateways: Self.gateway().replacingOccurrences(of: "exit_address:", with: "⟨exit_adress:")),
                         "unknown key 'exit_adress' in 'gateways.0'; did you mean 'exit_address'?")
    }

    // MARK: - Values that must not reach the netdev file

    @Test func endpointsThatAreNotHostAndPortAreRefused() {
        let refused: [(String, String)] = [
            ("exit.example.net", "'endpoint' 'exit.example.net' is not HOST:PORT (an IPv6 address goes in brackets)"),
            ("\"2001:db8::50:51820\"", "'endpoint' '2001:db8::50:51820' is not HOST:PORT (an IPv6 address goes in brackets)"),
            ("\"[2001:db8::50]51820\"", "'endpoint' '[2001:db8::50]51820' is not [IPv6]:PORT"),
            ("\"[exit.example.net]:51820\"", "'endpoint' '[exit.example.net]:51820' has no IPv6 address in brackets"),
            ("exit.example.net:0", "'endpoint' 'exit.example.net:0' has no port 1-65535 after the ':'"),
            ("exit.example.net:65536", "'endpoint' 'exit.example.net:65536' has no port 1-65535 after the ':'"),
            ("\"exit.example.net:+51820\"", "'endpoint' 'exit.example.net:+51820' has no port 1-65535 after the ':'"),
            ("127.0.0.1:51820", "'endpoint' '127.0.0.1:51820' is not a unicast address the gateway could reach"),
            ("\"[fe80::1]:51820\"", "'endpoint' '[fe80::1]:51820' is not a unicast address the gateway could reach"),
        ]
        for (endpoint, message) in refused {
            expectSiteErrors(site(short(endpoint: "⟨" + endpoint)), message)
        }
    }

    /// What an attacker who can edit the site (or a careless paste) might put in a value: each is refused on one line,
    /// with control characters shown escaped, never echoed raw into the admin's terminal.
    @Test func hostileValuesAreRefusedOnOneLine() throws {
        let hostile: [(String, String)] = [
            // A second line would be a second netdev setting.
            ("public_key: \"\(Self.key)\\nEndpoint=203.0.113.66:1\"",
             "'public_key' contains the control character \\n: '\(Self.key)\\nEndpoint=203.0.… (68 bytes)'"),
            ("public_key: \"$(id)\"",
             "'public_key' is not a WireGuard public key (32 bytes in base64, 44 characters ending in '='); take the exit server's `wg pubkey`"),
            ("public_key: \"\(Self.key.dropLast(6))$(id)=\"",
             "'public_key' is not a WireGuard public key (32 bytes in base64, 44 characters ending in '='); take the exit server's `wg pubkey`"),
            ("endpoint: \"exit.example.net 51820\"",
             "'endpoint' 'exit.example.net 51820' is not HOST:PORT (an IPv6 address goes in brackets)"),
            ("endpoint: \"exit example:51820\"",
             "'endpoint' 'exit example:51820' names neither a DNS name nor an IP address before the port"),
            ("endpoint: \"'exit.example.net':51820\"",
             "'endpoint' ''exit.example.net':51820' names neither a DNS name nor an IP address before the port"),
            ("endpoint: \"-oProxyCommand=id:22\"",
             "'endpoint' '-oProxyCommand=id:22' names neither a DNS name nor an IP address before the port"),
            ("endpoint: \"-exit.example.net:51820\"",
             "'endpoint' '-exit.example.net:51820' names neither a DNS name nor an IP address before the port"),
            ("endpoint: \"exit.example.net:51820\\u001B[2J\"",
             "'endpoint' contains the control character \\u{1B}: 'exit.example.net:51820\\u{1B}[2J'"),
        ]
        for (field, message) in hostile {
            var values = ["endpoint: 192.0.2.50:51820", "public_key: \(Self.key)"]
            let name = field.prefix(while: { $0 != ":" })
            values = values.map { $0.hasPrefix(name) ? field.replacingOccurrences(of: "\(name): ", with: "\(name): ⟨") : $0 }
            expectSiteErrors(site("exit: {\(values.joined(separator: ", "))}\n"), message)
        }
    }

    @Test func aHugeValueIsCutInItsMessage() throws {
        let huge = String(repeating: "a", count: 100_000)
        for exit in ["exit: {endpoint: \(huge):51820, public_key: \(Self.key)}\n", "exit: {endpoint: 192.0.2.50:51820, public_key: \(huge)}\n"] {
            let lines = try #require(errors(site(exit)))
            #expect(lines.count == 1)
            let line = try #require(lines.first)
            #expect(line.count < 300, "\(line.prefix(300))")
            #expect(!line.unicodeScalars.contains(where: Echo.isControl))
        }
        let endpoint = try #require(errors(site("exit: {endpoint: \(huge):51820, public_key: \(Self.key)}\n"))?.first)
        #expect(endpoint.hasSuffix("'endpoint' '\(String(repeating: "a", count: 60))… (100006 bytes)' names neither a DNS name nor an IP address before the port"))
    }

    @Test func keysThatAreNotOneWireGuardKeyAreRefused() {
        let message = "'public_key' is not a WireGuard public key (32 bytes in base64, 44 characters ending in '='); take the exit server's `wg pubkey`"
        let thirtyThree = Data(repeating: 7, count: 33).base64EncodedString()
        let thirtyOne = Data(repeating: 7, count: 31).base64EncodedString()
        for key in [thirtyThree, thirtyOne, String(Self.key.dropLast()), Self.key + "=", TincKeyFixtures.short,
                    // Base64url's '-' and '_' are not wg's alphabet.
                    ExitFixture.gatewayKey.replacingOccurrences(of: "/", with: "_"), ExitFixture.gatewayKey.replacingOccurrences(of: "+", with: "-"),
                    // The same 32 bytes with the last character's two spare bits set: `wg` and networkd refuse it.
                    String(Self.key.dropLast(2)) + "5="] {
            expectSiteErrors(site(short(key: "⟨" + key)), message)
        }
    }

    // MARK: - exit_address

    @Test func theTunnelAddressIsOneIPv4AddressWithItsLength() {
        for address in ["10.200.0.2", "10.200.0.2/33", "10.200.0.2/7", "10.200.0.2/+32", "\"fd00::2/128\"", "10.200.0.256/32", "10.200.0.2/32/1"] {
            let shown = address.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            expectSiteErrors(site(short(), gateways: Self.gateway(exitAddress: "⟨" + address)),
                             "'exit_address' '\(shown)' is not an IPv4 address with its prefix length (e.g. 10.200.0.2/32)")
        }
        expectSiteErrors(site(short(), gateways: Self.gateway(exitAddress: "⟨127.0.0.2/32")), "'exit_address' 127.0.0.2 is loopback, not a unicast address")
    }
}
