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
