import Testing
@testable import GatewayKit
@testable import FirewallKit

@Suite struct RulesetDriftTests {
    static let rendered = """
        *filter
        :INPUT DROP [0:0]
        :FORWARD DROP [0:0]
        :OUTPUT ACCEPT [0:0]
        :gw-wan-in - [0:0]
        -A INPUT -i lo -j ACCEPT
        -A INPUT -i eth0 -j gw-wan-in
        -A gw-wan-in -p tcp -m tcp --dport 22 -m comment --comment "ssh" -j ACCEPT
        -A gw-wan-in -p udp -m udp --dport 10000 -j ACCEPT
        COMMIT

        """

    func drift(_ live: String) throws -> (findings: [DriftFinding], ignored: IgnoredRules) {
        RulesetDrift.compare(checked: CheckedRuleset(try parseRules(live), source: "live"),
                             rendered: CheckedRuleset(try parseRules(Self.rendered), source: "rendered"))
    }

    @Test func theSameRulesAsTheKernelPrintsThemAreNoDrift() throws {
        let live = Self.rendered.replacingOccurrences(of: #""ssh""#, with: "ssh")
            .replacingOccurrences(of: ":INPUT DROP [0:0]", with: ":INPUT DROP [1234:99999]")
            + "*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n"
        #expect(try drift(live).findings == [])
    }

    @Test func aMovedRuleIsReportedOnceAsMovedWithBothPlaces() throws {
        // Issue 23: it was shown twice, missing where rendered and unexpected where it is.
        let live = Self.rendered.replacingOccurrences(of: "-A gw-wan-in -p tcp -m tcp --dport 22 -m comment --comment \"ssh\" -j ACCEPT\n-A gw-wan-in -p udp -m udp --dport 10000 -j ACCEPT",
                                                      with: "-A gw-wan-in -p udp -m udp --dport 10000 -j ACCEPT\n-A gw-wan-in -p tcp -m tcp --dport 22 -m comment --comment \"ssh\" -j ACCEPT")
        let findings = try drift(live).findings
        #expect(findings.map(\.kind) == [.moved])
        #expect(findings.map(\.location) == ["live:9"])
        #expect(findings.first?.renderedFile == "rendered" && findings.first?.renderedLine == 8)
        // In the rendered order nothing comes before it: put back, it goes to the chain's start.
        #expect(findings.first?.anchorLine == nil)
        #expect(findings.allSatisfy { $0.table == "filter" && $0.chain == "gw-wan-in" })
    }

    @Test func aRuleThatMovedAndOneThatChangedAreToldApart() throws {
        let live = Self.rendered.replacingOccurrences(of: "-A INPUT -i lo -j ACCEPT\n-A INPUT -i eth0 -j gw-wan-in",
                                                      with: "-A INPUT -i eth0 -j gw-wan-in\n-A INPUT -i lo -j ACCEPT")
            .replacingOccurrences(of: "--dport 10000", with: "--dport 10001")
        let findings = try drift(live).findings
        #expect(findings.map { "\($0.kind) \($0.chain)" } == ["moved INPUT", "missing gw-wan-in", "unexpected gw-wan-in"])
        let renderedLines = Self.rendered.split(separator: "\n", omittingEmptySubsequences: false)
        let moved = findings[0]
        #expect(renderedLines[try #require(moved.renderedLine) - 1] == moved.text)
        #expect(live.split(separator: "\n", omittingEmptySubsequences: false)[try #require(moved.line) - 1] == moved.text)
    }

    @Test func puttingMovedRulesBackAfterTheirRenderedPredecessorRestoresTheRenderedOrder() throws {
        let rules = (1...6).map { "-A gw-wan-in -p tcp -m tcp --dport \($0) -j ACCEPT" }
        func file(_ order: [Int]) -> String {
            Self.rendered.replacingOccurrences(of: "-A gw-wan-in -p tcp -m tcp --dport 22 -m comment --comment \"ssh\" -j ACCEPT\n-A gw-wan-in -p udp -m udp --dport 10000 -j ACCEPT",
                                               with: order.map { rules[$0] }.joined(separator: "\n"))
        }
        let rendered = CheckedRuleset(try parseRules(file([0, 1, 2, 3, 4, 5])), source: "rendered")
        for order in [[5, 4, 3, 2, 1, 0], [2, 0, 1, 5, 3, 4], [1, 0, 3, 2, 5, 4]] {
            let checked = CheckedRuleset(try parseRules(file(order)), source: "live")
            let moved = RulesetDrift.compare(checked: checked, rendered: rendered).findings
            #expect(!moved.isEmpty && moved.allSatisfy { $0.kind == .moved }, "\(order)")
            let restored = MovedRuleImpact.restoringOrder(checked.ruleset, .init(table: "filter", chain: "gw-wan-in"), moved)
            #expect(restored.table("filter")?.chains.first { $0.name == "gw-wan-in" }?.rules.map(RulesetPrinter.line) == rules, "\(order)")
        }
    }

    @Test func aPolicyAChainAndItsRulesThatOnlyOneSideHasAreEachNamed() throws {
        let live = Self.rendered.replacingOccurrences(of: ":FORWARD DROP", with: ":FORWARD ACCEPT")
            .replacingOccurrences(of: "COMMIT", with: ":docker - [0:0]\n-A docker -j RETURN\nCOMMIT")
        let findings = try drift(live).findings
        #expect(findings.map(\.kind) == [.policy, .unexpected, .unexpected])
        #expect(findings.map(\.text) == ["policy ACCEPT (rendered: DROP)", ":docker", "-A docker -j RETURN"])
        #expect(findings[2].line == 11)
    }

    @Test func aTableTheDumpLacksIsItsRulesMissing() throws {
        let rendered = Self.rendered + "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n"
            + "-A POSTROUTING -s 10.99.0.0/16 -o eth0 -j MASQUERADE\nCOMMIT\n"
        let findings = RulesetDrift.compare(checked: CheckedRuleset(try parseRules(Self.rendered), source: "live"),
                                            rendered: CheckedRuleset(try parseRules(rendered), source: "rendered")).findings
        #expect(findings.map { "\($0.kind) \($0.table) \($0.chain) \($0.location ?? "")" } == ["missing nat POSTROUTING rendered:16"])
    }

    @Test func fail2bansChainsAndJumpsAreSetAsideAndListed() throws {
        let live = Self.rendered
            .replacingOccurrences(of: ":gw-wan-in - [0:0]\n", with: ":gw-wan-in - [0:0]\n:f2b-sshd - [0:0]\n")
            .replacingOccurrences(of: "-A INPUT -i lo -j ACCEPT\n", with: "-A INPUT -p tcp -m multiport --dports 22 -j f2b-sshd\n-A INPUT -i lo -j ACCEPT\n")
            .replacingOccurrences(of: "COMMIT", with: "-A f2b-sshd -s 192.0.2.9/32 -j REJECT --reject-with icmp-port-unreachable\n-A f2b-sshd -j RETURN\nCOMMIT")
        let result = try drift(live)
        #expect(result.findings == [])
        #expect(result.ignored.chains == ["filter f2b-sshd (2 rules)"])
        #expect(result.ignored.jumps == ["filter INPUT: -A INPUT -p tcp -m multiport --dports 22 -j f2b-sshd"])
    }

    @Test func aJumpToAnotherChainBeforeFail2bansIsStillDrift() throws {
        let live = Self.rendered.replacingOccurrences(of: "-A INPUT -i lo -j ACCEPT\n", with: "-A INPUT -p tcp -j gw-wan-in\n-A INPUT -i lo -j ACCEPT\n")
        #expect(try drift(live).findings.map(\.text) == ["-A INPUT -p tcp -j gw-wan-in"])
    }
}
