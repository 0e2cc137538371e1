import Testing
@testable import GatewayKit

/// `# PLACEHOLDER` comments are found where YAML has a comment, and nowhere else.
@Suite struct SitePlaceholdersTests {
    func scan(_ yaml: String) -> [SitePlaceholder] { SitePlaceholders.scan(yaml: yaml, file: "site.yaml") }

    @Test func importsMarkersAreListedWithTheirPlaceKeyPathAndReason() {
        let found = scan("""
            access:
              ssh_port: 22  # PLACEHOLDER: the port sshd listens on
              admins: []  # PLACEHOLDER: add {name: you, keys: ["ssh-ed25519 AAAA… you@laptop"]}
            gateways:
              - name: gw1
                ssh: local  # PLACEHOLDER: how gwsetup logs in (user@host[:port] or local)
                uplink: eth0  # PLACEHOLDER: the gateway's WAN interface

            """)
        #expect(found.map(\.description) == [
            "site.yaml:2:17: placeholder: access.ssh_port: the port sshd listens on",
            "site.yaml:3:15: placeholder: access.admins: add {name: you, keys: [\"ssh-ed25519 AAAA… you@laptop\"]}",
            "site.yaml:6:17: placeholder: gateways.0.ssh: how gwsetup logs in (user@host[:port] or local)",
            "site.yaml:7:19: placeholder: gateways.0.uplink: the gateway's WAN interface",
        ])
    }

    @Test func aHashInsideAnyScalarIsNoComment() {
        #expect(scan("""
            a: "x # PLACEHOLDER: in double quotes"
            b: 'x # PLACEHOLDER: in single quotes, it''s text'
            c: x#PLACEHOLDER: no blank before the hash
            d: "first line
              # PLACEHOLDER: a continued double-quoted scalar"
            e: |
              # PLACEHOLDER: the content of a literal block
            f: >-
                folded
                # PLACEHOLDER: folded content
            g: [ "# PLACEHOLDER: in a flow list" ]
            h: it's plain # not a placeholder, a comment about it
            """).isEmpty)
    }

    @Test func commentsAroundScalarsAreFoundTooWithoutATrailingColon() {
        let found = scan("""
            a: 'quoted # still text'  # PLACEHOLDER: after a quoted scalar
            b: | # PLACEHOLDER: on a block scalar's header
              text
            # PLACEHOLDER
            c: [1, 2]  #PLACEHOLDER: no blank after the hash
            d: 1  # PLACEHOLDERS are not this marker
            """)
        #expect(found.map(\.description) == [
            "site.yaml:1:27: placeholder: a: after a quoted scalar",
            "site.yaml:2:6: placeholder: b: on a block scalar's header",
            "site.yaml:4:1: placeholder: c",
            "site.yaml:5:12: placeholder: c: no blank after the hash",
        ])
    }

    @Test func brokenYAMLGivesNoneSoTheLoaderReportsIt() {
        #expect(scan("a: \"unclosed  # PLACEHOLDER: x\n").isEmpty)
        #expect(scan("a: [1,  # PLACEHOLDER: x\n").isEmpty)
    }

    @Test func aReasonIsShownEscaped() {
        let found = scan("a: 1  # PLACEHOLDER: a bidi override \u{202E} reversed\n")
        #expect(found.first?.description == "site.yaml:1:7: placeholder: a: a bidi override \\u{202E} reversed")
    }

    @Test func aByteOrderMarkAndWindowsLineEndsKeepPlaces() {
        let found = scan("\u{FEFF}a: 1\r\nb: 2  # PLACEHOLDER: why\r\n")
        #expect(found.map(\.description) == ["site.yaml:2:7: placeholder: b: why"])
    }
}
