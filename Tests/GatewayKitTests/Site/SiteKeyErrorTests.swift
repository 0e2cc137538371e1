import Testing
@testable import GatewayKit

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

    @Test func swappedLettersStillSuggest() {
        expectSiteErrors(MinimalSite.with(identity: "site: {code: ffx, ⟨nmae: Freifunk}\n"), "unknown key 'nmae' in 'site'; did you mean 'name'?")
    }

    @Test func shortWordDoesNotSuggestAnUnrelatedShortKey() {
        expectSiteErrors(MinimalSite.with(domains: """
            domains:
              - code: ffx
                prefix4: 10.99.0.0/16
                prefix6: fd99::/64
                ⟨ntp: [pool.ntp.org]

            """),
            "unknown key 'ntp' in 'domains.0'")
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
