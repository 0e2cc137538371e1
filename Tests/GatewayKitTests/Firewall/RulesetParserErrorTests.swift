import Testing
@testable import GatewayKit
@testable import FirewallKit

/// A bad line inside an otherwise valid filter table, and the text the error must point at.
private struct BadRule: Sendable, CustomStringConvertible {
    var rule: String
    var pointsAt: String
    var message: String
    var description: String { rule }
}

private let badRules: [BadRule] = [
    BadRule(rule: "-A INPUT -p tcp --dport 99999 -j ACCEPT", pointsAt: "99999", message: "bad port '99999'"),
    BadRule(rule: "-A INPUT -p tcp --dport 80:22 -j ACCEPT", pointsAt: "80:22", message: "port range '80:22' runs backwards"),
    BadRule(rule: "-A INPUT -s 10.0.0.300 -j DROP", pointsAt: "10.0.0.300", message: "bad address '10.0.0.300'"),
    BadRule(rule: "-A INPUT -s fd00::1 -j DROP", pointsAt: "fd00::1", message: "IPv6 address 'fd00::1' in an IPv4 ruleset"),
    BadRule(rule: "-A NOPE -j DROP", pointsAt: "NOPE", message: "chain 'NOPE' is not declared in table 'filter'"),
    BadRule(rule: "-A INPUT -j wan-input", pointsAt: "wan-input", message: "chain 'wan-input' is not declared in table 'filter'"),
    BadRule(rule: "-A INPUT --dport 22 -j ACCEPT", pointsAt: "--dport", message: "unknown option '--dport' (no -m module loaded that has it)"),
    BadRule(rule: "-A INPUT -p tcp -m tcp --dprot 22 -j ACCEPT", pointsAt: "--dprot", message: "unknown option '--dprot' for module tcp"),
    BadRule(rule: "-A INPUT -m state --state NEW,FRESH -j ACCEPT", pointsAt: "NEW,FRESH", message: "bad state list 'NEW,FRESH' (INVALID, NEW, RELATED, ESTABLISHED, UNTRACKED, SNAT, DNAT)"),
    BadRule(rule: "-A INPUT -m comment --comment \"unfinished -j ACCEPT", pointsAt: "\"unfinished", message: "unterminated quote"),
    BadRule(rule: "-A INPUT -p tcp ! -j ACCEPT", pointsAt: "!", message: "'!' cannot negate a target"),
    BadRule(rule: "-A INPUT -p bogus -j ACCEPT", pointsAt: "bogus", message: "unknown protocol 'bogus'"),
    BadRule(rule: "-A INPUT -p icmp -m icmp --icmp-type echo-requets -j ACCEPT", pointsAt: "echo-requets", message: "unknown ICMP type 'echo-requets'"),
    BadRule(rule: "-A INPUT -j ACCEPT --log-prefix x", pointsAt: "--log-prefix", message: "ACCEPT takes no option --log-prefix"),
    BadRule(rule: "-A INPUT -j SNAT", pointsAt: "SNAT", message: "SNAT needs --to-source"),
    BadRule(rule: "-A INPUT -s 10.0.0.0/8 -s 10.1.0.0/16 -j DROP", pointsAt: "-s 10.1", message: "-s given twice"),
    BadRule(rule: "-A INPUT -i bat0 -j DROP -j ACCEPT", pointsAt: "-j ACCEPT", message: "second target (first was DROP)"),
    BadRule(rule: "-A INPUT -m mac --mac-source 02:00:00:00:00 -j DROP", pointsAt: "02:00", message: "bad MAC address '02:00:00:00:00'"),
    BadRule(rule: "-D INPUT 1", pointsAt: "-D", message: "unknown command '-D' (expected -A, -I, -N, -P, :CHAIN or COMMIT)"),
]

@Suite struct RulesetParserErrorTests {
    @Test(arguments: badRules)
    fileprivate func badRuleIsReportedWhereItIs(_ bad: BadRule) {
        let text = "# header\n*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n\(bad.rule)\nCOMMIT\n"
        let column = bad.rule.distance(from: bad.rule.startIndex, to: bad.rule.range(of: bad.pointsAt)!.lowerBound) + 1
        #expect(throws: RulesetParseError(file: "gw.rules", line: 6, column: column, message: bad.message)) {
            try RulesetParser.parse(text, file: "gw.rules", family: .ipv4)
        }
    }

    @Test func unreadableFileIsAnErrorNamingIt() {
        #expect(throws: RulesetParseError.self) { try RulesetParser.parse(contentsOf: "/nonexistent/rules.v4") }
        do {
            _ = try RulesetParser.parse(contentsOf: "/nonexistent/rules.v4")
        } catch {
            #expect(error.description.hasPrefix("/nonexistent/rules.v4: cannot read the file"))
        }
    }

    @Test func errorReadsAsFileLineColumnMessage() {
        let error = RulesetParseError(file: "rules.v4", line: 3, column: 17, message: "bad port '99999'")
        #expect(error.description == "rules.v4:3:17: bad port '99999'")
    }

    @Test func structuralErrors() {
        func failure(_ text: String) -> String? {
            do {
                _ = try RulesetParser.parse(text, file: "f", family: .ipv4)
                return nil
            } catch {
                return error.description
            }
        }
        #expect(failure("*filtre\nCOMMIT\n") == "f:1:2: unknown table 'filtre' (expected filter, nat, mangle, raw or security)")
        #expect(failure("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j DROP\n") == "f:1:1: table 'filter' has no COMMIT")
        #expect(failure("-A INPUT -j DROP\n") == "f:1:1: rule outside a table (missing *table line)")
        #expect(failure("*filter\n:INPUT FOO [0:0]\nCOMMIT\n") == "f:2:8: bad policy 'FOO' (expected ACCEPT, DROP or -)")
        #expect(failure("*filter\n:INPUT - [0:0]\nCOMMIT\n") == "f:2:8: built-in chain INPUT needs ACCEPT or DROP as policy, not '-'")
        #expect(failure("*filter\n:mine ACCEPT [0:0]\nCOMMIT\n") == "f:2:7: user chain 'mine' cannot have a policy; write '-'")
        #expect(failure("*filter\n:INPUT ACCEPT [0:x]\nCOMMIT\n") == "f:2:15: bad counters '[0:x]' (expected [packets:bytes])")
        #expect(failure("*filter\n:INPUT ACCEPT\n*nat\nCOMMIT\n") == "f:3:1: table 'nat' starts before table 'filter' (line 1) was committed")
        #expect(failure("COMMIT\n") == "f:1:1: COMMIT outside a table")
        #expect(failure("*filter\n:INPUT ACCEPT\nCOMMIT\n*filter\nCOMMIT\n") == "f:4:1: table 'filter' appears twice")
    }

    @Test func handWrittenFormsAreAccepted() throws {
        let ruleset = try RulesetParser.parse("""
            *filter
            :INPUT DROP
            -N mesh
            -P FORWARD DROP
            -A INPUT -i bat0 -j mesh
            -I INPUT -i lo -j ACCEPT
            -I INPUT 2 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
              -A mesh -p udp --dport 53 -j ACCEPT\r
            COMMIT
            """, file: "hand", family: .ipv4)
        let filter = try #require(ruleset.table("filter"))
        #expect(filter.chains.map(\.name) == ["INPUT", "FORWARD", "OUTPUT", "mesh"])
        #expect(filter.chains.map(\.policy) == [.drop, .drop, .accept, nil])
        #expect(filter.chain("INPUT")?.rules.map(\.line) == [6, 7, 5])
        #expect(filter.chain("mesh")?.rules.count == 1)
    }

    @Test func familyIsInferredFromHeaderAddressesAndICMPv6() throws {
        #expect(try RulesetParser.parse("# Generated by ip6tables-save v1.8.9\n*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n").family == .ipv6)
        #expect(try RulesetParser.parse("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s fd00::/8 -j ACCEPT\nCOMMIT\n").family == .ipv6)
        #expect(try RulesetParser.parse("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p icmpv6 -j ACCEPT\nCOMMIT\n").family == .ipv6)
        #expect(try RulesetParser.parse("*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp -j ACCEPT\nCOMMIT\n").family == .ipv4)
    }
}
