import Testing
@testable import GatewayKit

/// YAML the parser itself refuses: each error must point where an editor would take the admin.
@Suite struct SiteSyntaxErrorTests {
    @Test func keyIndentedLessThanItsSiblings() {
        expectSiteErrors("""
            site:
              code: ffx
             ⟨name: Freifunk Example
            """,
            "YAML syntax: did not find expected key while parsing a block mapping started at line 1, column 1")
    }

    @Test func listItemIndentedLessThanTheListPointsAtTheStrayKey() {
        expectSiteErrors("""
            domains:
              - code: ffx
               ⟨prefix4: 10.99.0.0/16
            """,
            "YAML syntax: did not find expected '-' indicator while parsing a block collection started at line 2, column 3")
    }

    @Test func unclosedDoubleQuotePointsAtTheQuoteNotTheEndOfFile() {
        expectSiteErrors("""
            site:
              code: ffx
              name: ⟨"Freifunk Example
            domains: []
            gateways: []

            """,
            "YAML syntax: found unexpected end of stream while scanning a quoted scalar")
    }

    @Test func unclosedSingleQuotePointsAtTheQuote() {
        expectSiteErrors("""
            site: {code: ffx, name: ⟨'Freifunk}

            """,
            "YAML syntax: found unexpected end of stream while scanning a quoted scalar")
    }

    @Test func bracketClosedWithTheWrongCharacterPointsAtThatCharacter() {
        expectSiteErrors("""
            services:
              ntp: {servers: [0.debian.pool.ntp.org, 1.debian.pool.ntp.org⟨}
            access: {}
            """,
            "YAML syntax: did not find expected ',' or ']' while parsing a flow sequence started at line 2, column 18")
    }

    /// libyaml reads `null` and the next line as one plain scalar and stops at the colon; the context finds the `[`.
    @Test func unclosedBracketNamesWhereItWasOpened() {
        expectSiteErrors("""
            domains:
              - code: ffx
                fastd: {methods: [salsa2012+umac, null
                mtu⟨: 1312
            """,
            "YAML syntax: did not find expected ',' or ']' while parsing a flow sequence started at line 3, column 22")
    }

    @Test func unclosedBraceNamesWhereItWasOpened() {
        expectSiteErrors("""
            site: {code: ffx
            domains⟨: []
            """,
            "YAML syntax: did not find expected ',' or '}' while parsing a flow mapping started at line 1, column 7")
    }

    @Test func tabIndentationIsNamed() {
        expectSiteErrors("site:\n⟨\tcode: ffx\n", "YAML syntax: a tab cannot indent YAML; use spaces")
    }

    @Test func valueAfterValueOnOneLine() {
        expectSiteErrors("site: code⟨: ffx\n", "YAML syntax: mapping values are not allowed in this context")
    }

    @Test func undefinedAlias() {
        expectSiteErrors("site: ⟨*identity\n", "YAML syntax: found undefined alias")
    }

    @Test func emptyFile() {
        expectSiteErrors("⟨", "the site file is empty")
        expectSiteErrors("⟨# nothing but a comment\n", "the site file is empty")
    }

    @Test func fileThatIsAListNotAMapping() {
        expectSiteErrors("⟨- site\n- domains\n", "the site file must be a mapping of keys, not a list")
    }
}

/// Keys the loader does not know, repeats and omissions: the typos an admin makes by hand.
@Suite struct SiteKeyErrorTests {
    @Test func misspeltDomainKeySuggestsTheRealOne() {
        expectSiteErrors(MinimalSite.with(domains: """
            domains:
              - code: ffx
                ⟨prefx4: 10.99.0.0/16
                prefix6: fd99::/64

            """),
            "unknown key 'prefx4' in 'domains.0'; did you mean 'prefix4'?")
    }

    @Test func singularTopLevelKeySuggestsThePlural() {
        expectSiteErrors(MinimalSite.with(gateways: """
            ⟨gateway:
              - name: gw1

            """),
            "unknown key 'gateway' at the top level; did you mean 'gateways'?")
    }

    @Test func misspeltNestedKeySuggestsTheRealOne() {
        expectSiteErrors(MinimalSite.with(domains: """
            domains:
              - code: ffx
                prefix4: 10.99.0.0/16
                prefix6: fd99::/64
                dhcp: {⟨lease_tme: 600}

            """),
            "unknown key 'lease_tme' in 'domains.0.dhcp'; did you mean 'lease_time'?")
    }

    @Test func misspeltServiceAndAccessKeys() {
        expectSiteErrors(MinimalSite.with(services: "services: {fail2ban: {sshd: {⟨max_retry: 3}}}\n"),
                         "unknown key 'max_retry' in 'services.fail2ban.sshd'; did you mean 'maxretry'?")
        expectSiteErrors(MinimalSite.with(access: "access: {⟨ssh_allowed_from: [192.0.2.0/24]}\n"),
                         "unknown key 'ssh_allowed_from' in 'access'; did you mean 'ssh_allow_from'?")
        expectSiteErrors(MinimalSite.with(gateways: """
            gateways:
              - name: gw1
                ⟨adresses:
                  ffx: {ipv4: 10.99.0.1, ipv6: "fd99::1"}

            """),
            "unknown key 'adresses' in 'gateways.0'; did you mean 'addresses'?")
    }

    @Test func unknownKeyWithNothingCloseGetsNoSuggestion() {
        expectSiteErrors(MinimalSite.with(identity: "site: {code: ffx, ⟨colour: blue}\n"), "unknown key 'colour' in 'site'")
        expectSiteErrors("⟨icvpn: true\n" + MinimalSite.with(), "unknown key 'icvpn' at the top level")
    }

    @Test func keyThatIsNotAWord() {
        expectSiteErrors(MinimalSite.with(identity: "site: {code: ffx, ⟨[a, b]: c}\n"), "keys must be plain words, not a list")
    }

    @Test func repeatedKeyPointsAtTheRepetition() {
        expectSiteErrors(MinimalSite.with(domains: """
            domains:
              - code: ffx
                prefix4: 10.99.0.0/16
                mtu: 1312
                prefix6: fd99::/64
                ⟨mtu: 1400

            """),
            "'mtu' is given twice")
    }

    @Test func repeatedTopLevelSection() {
        expectSiteErrors(MinimalSite.with() + "⟨site: {code: ffy}\n", "'site' is given twice")
    }

    @Test func repeatedDomainInGatewayAddresses() {
        expectSiteErrors(MinimalSite.with(gateways: """
            gateways:
              - name: gw1
                addresses:
                  ffx: {ipv4: 10.99.0.1, ipv6: "fd99::1"}
                  ⟨ffx: {ipv4: 10.99.0.2, ipv6: "fd99::2"}

            """),
            "'ffx' is given twice")
    }

    @Test func repeatedKeyInFlowStylePointsAtTheFirstSpelling() {
        expectSiteErrors(MinimalSite.with(identity: "site: {⟨code: ffx, name: X, code: ffy}\n"), "'code' is given twice")
    }

    @Test func missingTopLevelSection() {
        expectSiteErrors("⟨" + MinimalSite.identity + MinimalSite.domains, "the site file needs 'gateways'")
        expectSiteErrors("⟨" + MinimalSite.domains + MinimalSite.gateways, "the site file needs 'site'")
    }

    @Test func missingKeyPointsAtTheMappingThatLacksIt() {
        expectSiteErrors(MinimalSite.with(domains: """
            domains:
              - ⟨code: ffx
                prefix4: 10.99.0.0/16

            """),
            "'domains.0' needs 'prefix6'")
        expectSiteErrors(MinimalSite.with(identity: "site: ⟨{name: Freifunk Example}\n"), "'site' needs 'code'")
        expectSiteErrors(MinimalSite.with(gateways: """
            gateways:
              - name: gw1
                addresses:
                  ffx: ⟨{ipv4: 10.99.0.1}

            """),
            "'gateways.0.addresses.ffx' needs 'ipv6'")
    }

    @Test func keyWrittenButLeftEmptyCountsAsMissing() {
        expectSiteErrors(MinimalSite.with(identity: "site:\n  ⟨code:\n  name: X\n"), "'site' needs 'code'")
    }

    @Test func emptyDomainAndGatewayLists() {
        expectSiteErrors(MinimalSite.with(domains: "domains: ⟨[]\n"), "'domains' needs at least one mesh domain")
        expectSiteErrors(MinimalSite.with(gateways: "gateways: ⟨[]\n"), "'gateways' needs at least one gateway")
    }
}

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
