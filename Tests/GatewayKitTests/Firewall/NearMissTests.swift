import Testing
@testable import GatewayBase
@testable import FirewallKit

/// The near-miss search: the rule a failing intent's packet reached that would have decided it but for one field.
@Suite struct NearMissTests {
    static let meshClient = ip("10.99.0.100")
    static let gateway = ip("10.99.0.1")

    func dns(_ proto: String = "udp", in interface: String = "br-ffx") -> FirewallIntent {
        let packet = proto == "udp" ? Packet.udp(from: Self.meshClient, to: Self.gateway, port: 53, in: interface)
                                    : Packet.tcp(from: Self.meshClient, to: Self.gateway, port: 53, in: interface)
        return FirewallIntent("DNS from the mesh", packet: packet, path: .input, expect: .accepted)
    }

    @Test func ffulmsDNSFailsBecauseItsRuleWantsBat0() throws {
        // ffulm accepts DNS only `-i bat0`; a gateway whose clients arrive on the bridge br-ffx drops it by policy.
        let evaluator = RulesetEvaluator(try FirewallCorpus.ruleset("ffulm-server-config.rules.v4"))
        #expect(evaluator.check([dns()]).first?.status == .violated)
        let miss = try #require(evaluator.nearMiss(for: dns()))
        #expect(miss.rule.line == 22)
        #expect(miss.rule.text == "-A INPUT -i bat0 -p udp -m udp --dport 53 -j ACCEPT")
        #expect(miss.field == "-i")
        #expect(miss.condition == "-i bat0")
        #expect(miss.packetValue == "br-ffx")
        let tcp = try #require(evaluator.nearMiss(for: dns("tcp")))
        #expect(tcp.rule.line == 23 && tcp.field == "-i")
    }

    @Test func anIntentThatHoldsHasNoNearMiss() throws {
        let evaluator = RulesetEvaluator(try FirewallCorpus.ruleset("ffulm-server-config.rules.v4"))
        #expect(evaluator.check([dns(in: "bat0")]).first?.status == .holds)
        #expect(evaluator.nearMiss(for: dns(in: "bat0")) == nil)
    }

    @Test func theRuleSharingMostFieldsWinsOverAnEarlierOne() throws {
        // Line 5 fails only on --dport and shares -p; line 6 fails only on -i and shares -p and --dport.
        let rules = filterRules("-A INPUT -i lo -j ACCEPT\n-A INPUT -p udp -m udp --dport 1244 -j ACCEPT\n-A INPUT -i bat0 -p udp -m udp --dport 53 -j ACCEPT")
        let miss = try #require(RulesetEvaluator(try parseRules(rules)).nearMiss(for: dns()))
        #expect(miss.rule.line == 7)
        #expect(miss.field == "-i")
    }

    @Test func aRuleFailingOnTwoFieldsOrSharingNothingIsNoNearMiss() throws {
        // -i and --dport both fail on line 5; `-i lo` on line 6 fails on its only field and shares nothing.
        let rules = filterRules("-A INPUT -i bat0 -p udp -m udp --dport 5353 -j ACCEPT\n-A INPUT -i lo -j ACCEPT")
        #expect(RulesetEvaluator(try parseRules(rules)).nearMiss(for: dns()) == nil)
    }

    @Test func aRuleThePacketNeverReachesIsNoNearMiss() throws {
        // Line 5 drops every UDP packet first: without its -i, line 6 would still never see the query.
        let rules = filterRules("-A INPUT -p udp -j DROP\n-A INPUT -i bat0 -p udp -m udp --dport 53 -j ACCEPT")
        #expect(RulesetEvaluator(try parseRules(rules)).nearMiss(for: dns()) == nil)
    }

    @Test func aRuleWhoseTargetCouldNotGiveTheAnswerIsNoNearMiss() throws {
        let rules = filterRules("-A INPUT -i bat0 -p udp -m udp --dport 53 -j DROP\n-A INPUT -i bat0 -p udp -m udp --dport 53 -j LOG")
        #expect(RulesetEvaluator(try parseRules(rules)).nearMiss(for: dns()) == nil)
    }

    @Test func aJumpIntoAChainThatAcceptsIsANearMiss() throws {
        let rules = filterRules(chains: ["mesh-in"], "-A INPUT -i bat0 -p udp -j mesh-in\n-A mesh-in -p udp -m udp --dport 53 -j ACCEPT")
        let miss = try #require(RulesetEvaluator(try parseRules(rules)).nearMiss(for: dns()))
        #expect(miss.rule.chain == "INPUT" && miss.rule.line == 6 && miss.field == "-i")
    }

    @Test func aBlockThatMissesOnTheSourceIsNamed() throws {
        // The admins meant to keep SSH from 192.0.2.0/24 out but wrote /32: the attacker's packet gets in.
        let rules = filterRules(policy: "ACCEPT", "-A INPUT -s 192.0.2.1/32 -p tcp -m tcp --dport 22 -j DROP")
        let intent = FirewallIntent("SSH from 192.0.2.7 is refused", packet: .tcp(from: ip("192.0.2.7"), to: ip("198.51.100.1"), port: 22, in: "eth0"),
                                    path: .input, expect: .blocked)
        let miss = try #require(RulesetEvaluator(try parseRules(rules)).nearMiss(for: intent))
        #expect(miss.field == "-s" && miss.condition == "-s 192.0.2.1/32" && miss.packetValue == "192.0.2.7")
    }

    @Test func aPortOneOffIsNamedByItsOption() throws {
        let rules = filterRules("-A INPUT -i br-ffx -p udp -m udp --dport 54 -j ACCEPT")
        let miss = try #require(RulesetEvaluator(try parseRules(rules)).nearMiss(for: dns()))
        #expect(miss.field == "--dport" && miss.condition == "--dport 54" && miss.packetValue == "53")
    }

    @Test func fieldsSplitEachMatchIntoItsConditions() throws {
        let rule = try #require(try parseRules(filterRules(
            "-A INPUT ! -i eth0 -p tcp -m tcp --sport 1024:65535 --dport 22 --tcp-flags SYN,ACK SYN -m conntrack --ctstate NEW -m comment --comment ssh -m limit --limit 3/min -j ACCEPT"
        )).tables.first?.chains.first?.rules.first)
        let fields = rule.matches.flatMap(\.fields)
        #expect(fields.map(\.option) == ["-i", "-p", "--sport", "--dport", "--tcp-flags", "--ctstate", "-m limit"])
        #expect(fields.map(\.text) == ["! -i eth0", "-p tcp", "--sport 1024:65535", "--dport 22", "--tcp-flags SYN,ACK SYN", "--ctstate NEW", "-m limit --limit 3/min"])
        // The fields together decide what the rule decides.
        let packet = Packet.tcp(from: ip("192.0.2.7"), to: ip("198.51.100.1"), sourcePort: 40000, port: 22, in: "eth1")
        #expect(fields.filter { $0.option != "-m limit" }.allSatisfy { $0.match.evaluate(packet, at: .input) == .yes })
        #expect(fields.first { $0.option == "-i" }?.match.evaluate(packet.with(inInterface: "eth0"), at: .input) == .no)
    }
}

private extension Packet {
    func with(inInterface name: String) -> Packet {
        var copy = self
        copy.inInterface = name
        return copy
    }
}
