import Testing
@testable import GatewayKit
@testable import GatewayBase
@testable import FirewallKit

@Suite struct RulesetEvaluatorChainTests {
    let client = ip("10.99.0.5")
    let host = ip("10.99.0.1")

    func input(_ rules: String, policy: String = "DROP", chains: [String] = [], packet: Packet? = nil) throws -> Evaluation {
        let evaluator = RulesetEvaluator(try parseRules(filterRules(policy: policy, chains: chains, rules)))
        return try evaluator.evaluate(packet ?? .tcp(from: client, to: host, port: 22, in: "eth0"), table: "filter", chain: "INPUT")
    }

    @Test func policyDecidesWhenNoRuleMatches() throws {
        let result = try input("-A INPUT -p udp -j ACCEPT")
        #expect(result.verdict.value == .drop)
        guard case .holds(_, let steps) = result.verdict else { Issue.record("not definite"); return }
        #expect(steps.map(\.kind) == [.policy(.drop)])
    }

    @Test func firstMatchingRuleWinsAndIsCited() throws {
        let result = try input("-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -p tcp -j DROP")
        #expect(result.verdict.value == .accept)
        #expect(result.verdict.provingLines == [5])
    }

    @Test func userChainFallingOffTheEndReturnsToTheCaller() throws {
        let result = try input("""
            -A INPUT -j ssh
            -A INPUT -j REJECT
            -A ssh -p tcp --dport 23 -j ACCEPT
            """, chains: ["ssh"])
        #expect(result.verdict.value == .reject(with: nil))
        #expect(result.verdict.provingLines == [6, 7])
    }

    @Test func returnLeavesTheUserChainEarly() throws {
        let result = try input("""
            -A INPUT -j wan
            -A INPUT -j ACCEPT
            -A wan -p tcp --dport 22 -j RETURN
            -A wan -j DROP
            """, chains: ["wan"])
        #expect(result.verdict.value == .accept)
        #expect(result.verdict.provingLines == [6, 8, 7])
    }

    @Test func returnFromAGotoChainGoesBackToTheCallerOfTheGotoingChain() throws {
        // INPUT -j outer; outer -g inner; inner RETURNs → back to INPUT after the jump, not to outer's next rule.
        let result = try input("""
            -A INPUT -j outer
            -A INPUT -j ACCEPT
            -A outer -g inner
            -A outer -j DROP
            -A inner -j RETURN
            """, chains: ["outer", "inner"])
        #expect(result.verdict.value == .accept)
        #expect(result.verdict.provingLines == [7, 9, 11, 8])
    }

    @Test func gotoFromABuiltinChainThenReturnAppliesThePolicy() throws {
        let result = try input("-A INPUT -g inner\n-A INPUT -j ACCEPT\n-A inner -j RETURN", chains: ["inner"])
        #expect(result.verdict.value == .drop)
    }

    @Test func returnInABuiltinChainAppliesThePolicy() throws {
        let result = try input("-A INPUT -j RETURN\n-A INPUT -j DROP", policy: "ACCEPT")
        #expect(result.verdict.value == .accept)
    }

    @Test func nonTerminatingTargetsLetTraversalContinue() throws {
        let result = try input("""
            -A INPUT -j LOG --log-prefix "in: "
            -A INPUT -m comment --comment "just a note"
            -A INPUT -p tcp -j TCPMSS --clamp-mss-to-pmtu
            -A INPUT -j ACCEPT
            """)
        #expect(result.verdict.value == .accept)
        #expect(result.applies(targetNamed: "LOG").value == true)
    }

    @Test func markSetEarlierIsSeenByLaterMarkMatches() throws {
        let rules = """
            -A INPUT -i eth1 -j MARK --set-mark 0x10
            -A INPUT -m mark --mark 0x10/0xf0 -j ACCEPT
            -A INPUT -m mark ! --mark 0x10 -j REJECT
            """
        #expect(try input(rules, packet: .tcp(from: client, to: host, port: 22, in: "eth1")).verdict.value == .accept)
        #expect(try input(rules, packet: .tcp(from: client, to: host, port: 22, in: "eth0")).verdict.value == .reject(with: nil))
    }

    @Test func restoredConnectionMarkMakesLaterMarkMatchesDepend() throws {
        let result = try input("""
            -A INPUT -j CONNMARK --restore-mark --nfmask 0xffffffff --ctmask 0xffffffff
            -A INPUT -m mark --mark 0x1 -j ACCEPT
            -A INPUT -j REJECT
            """)
        #expect(result.verdict.dependsOnLines == [6])
    }

    @Test func aJumpLoopIsNeverDefinite() throws {
        let result = try input("-A INPUT -j a\n-A a -g b\n-A b -g a", chains: ["a", "b"])
        #expect(result.verdict.value == nil)
    }

    @Test func unknownTargetsMakeTheVerdictDepend() throws {
        let result = try input("-A INPUT -p tcp -j FANCY --level 3\n-A INPUT -j ACCEPT")
        #expect(result.verdict.dependsOnLines == [5])
    }
}

@Suite struct RulesetEvaluatorMatchTests {
    let client = ip("10.99.0.5")
    let host = ip("10.99.0.1")

    func verdict(_ rule: String, _ packet: Packet, family: IPFamily = .ipv4, hook: String = "INPUT") throws -> Decision<Verdict> {
        let text = filterRules(rule.hasPrefix("-A") ? rule : "-A \(hook) \(rule) -j ACCEPT")
        return try RulesetEvaluator(try parseRules(text, family: family)).evaluate(packet, table: "filter", chain: hook).verdict
    }

    @Test func interfaceNamesWildcardsAndNegation() throws {
        let packet = Packet.udp(from: client, to: host, port: 53, in: "bat0")
        #expect(try verdict("-i bat0", packet).value == .accept)
        #expect(try verdict("-i bat+", packet).value == .accept)
        #expect(try verdict("-i +", packet).value == .accept)
        #expect(try verdict("-i bat", packet).value == .drop)
        #expect(try verdict("-i eth+", packet).value == .drop)
        #expect(try verdict("! -i eth+", packet).value == .accept)
        #expect(try verdict("! -i bat0", packet).value == .drop)
    }

    @Test func outInterfaceDoesNotExistOnInput() throws {
        // The kernel compares against an empty name, so `-o` never matches in INPUT and `! -o` always does.
        let packet = Packet.udp(from: client, to: host, port: 53, in: "bat0", out: "eth0")
        #expect(try verdict("-o eth0", packet).value == .drop)
        #expect(try verdict("! -o eth0", packet).value == .accept)
    }

    @Test func missingInterfaceMakesItDepend() throws {
        let packet = Packet.udp(from: client, to: host, port: 53)
        #expect(try verdict("-i bat0", packet).dependsOnLines == [5])
    }

    @Test func addressesWithPrefixesAndNegation() throws {
        let packet = Packet.udp(from: client, to: host, port: 53, in: "bat0")
        #expect(try verdict("-s 10.99.0.0/16", packet).value == .accept)
        #expect(try verdict("-s 10.98.0.0/16", packet).value == .drop)
        #expect(try verdict("! -s 10.98.0.0/16", packet).value == .accept)
        #expect(try verdict("-d 10.99.0.1", packet).value == .accept)
        #expect(try verdict("-d 10.99.0.2/32", packet).value == .drop)
        #expect(try verdict("-s 10.99.7.7/8", packet).value == .accept)  // host bits masked as iptables does
    }

    @Test func protocolByNameNumberAndNegation() throws {
        let packet = Packet.udp(from: client, to: host, port: 53, in: "bat0")
        #expect(try verdict("-p udp", packet).value == .accept)
        #expect(try verdict("-p 17", packet).value == .accept)
        #expect(try verdict("-p tcp", packet).value == .drop)
        #expect(try verdict("! -p tcp", packet).value == .accept)
        #expect(try verdict("-p all", packet).value == .accept)
    }

    @Test func portsRangesAndNegation() throws {
        let packet = Packet.tcp(from: client, to: host, sourcePort: 51000, port: 443, in: "eth0")
        #expect(try verdict("-p tcp -m tcp --dport 443", packet).value == .accept)
        #expect(try verdict("-p tcp --dport https", packet).value == .accept)
        #expect(try verdict("-p tcp -m tcp --dport 400:500", packet).value == .accept)
        #expect(try verdict("-p tcp -m tcp --dport 444:", packet).value == .drop)
        #expect(try verdict("-p tcp -m tcp --dport :443", packet).value == .accept)
        #expect(try verdict("-p tcp -m tcp ! --dport 443", packet).value == .drop)
        #expect(try verdict("-p tcp -m tcp --sport 1024:65535 --dport 443", packet).value == .accept)
        #expect(try verdict("-p udp -m udp --dport 443", packet).value == .drop)
    }

    @Test func tcpFlagsAndSyn() throws {
        let syn = Packet.tcp(from: client, to: host, port: 22, in: "eth0")
        var ack = syn
        ack.tcpFlags = [.ack]
        #expect(try verdict("-p tcp --syn", syn).value == .accept)
        #expect(try verdict("-p tcp --syn", ack).value == .drop)
        #expect(try verdict("-p tcp ! --syn", ack).value == .accept)
        #expect(try verdict("-p tcp -m tcp --tcp-flags SYN,RST SYN", syn).value == .accept)
        #expect(try verdict("-p tcp -m tcp --tcp-flags ALL NONE", syn).value == .drop)
        var unknownFlags = syn
        unknownFlags.tcpFlags = nil
        #expect(try verdict("-p tcp --syn", unknownFlags).dependsOnLines == [5])
    }

    @Test func multiportDirections() throws {
        let packet = Packet.tcp(from: client, to: host, sourcePort: 2000, port: 8443, in: "eth0")
        #expect(try verdict("-p tcp -m multiport --dports 22,80,8000:9000", packet).value == .accept)
        #expect(try verdict("-p tcp -m multiport --dports 22,80", packet).value == .drop)
        #expect(try verdict("-p tcp -m multiport ! --dports 22,80", packet).value == .accept)
        #expect(try verdict("-p tcp -m multiport --sports 2000", packet).value == .accept)
        #expect(try verdict("-p tcp -m multiport --ports 2000,9999", packet).value == .accept)
        #expect(try verdict("-p tcp -m multiport --ports 1,2", packet).value == .drop)
    }

    @Test func conntrackAndStateMatches() throws {
        let established = Packet.tcp(from: client, to: host, port: 22, in: "eth0", state: .established)
        #expect(try verdict("-m conntrack --ctstate RELATED,ESTABLISHED", established).value == .accept)
        #expect(try verdict("-m state --state NEW", established).value == .drop)
        #expect(try verdict("-m conntrack ! --ctstate NEW", established).value == .accept)
        var untracked = established
        untracked.state = .untracked
        #expect(try verdict("-m state --state INVALID,NEW,UNTRACKED", untracked).value == .accept)
        #expect(try verdict("-m conntrack --ctstate DNAT", established).dependsOnLines == [5])
        #expect(try verdict("-m conntrack --ctstate NEW --ctdir ORIGINAL", established).dependsOnLines == [5])
    }

    @Test func packetAndAddressTypes() throws {
        var packet = Packet.udp(from: client, to: ip("10.99.255.255"), port: 67, in: "br0")
        packet.packetType = .broadcast
        packet.destinationAddressTypes = [.broadcast]
        packet.sourceAddressTypes = [.unicast]
        #expect(try verdict("-m pkttype --pkt-type broadcast", packet).value == .accept)
        #expect(try verdict("-m pkttype ! --pkt-type broadcast", packet).value == .drop)
        #expect(try verdict("-m addrtype --dst-type BROADCAST,MULTICAST", packet).value == .accept)
        #expect(try verdict("-m addrtype --dst-type LOCAL", packet).value == .drop)
        #expect(try verdict("-m addrtype ! --dst-type LOCAL --src-type UNICAST --limit-iface-in", packet).value == .accept)
        packet.packetType = nil
        #expect(try verdict("-m pkttype --pkt-type broadcast", packet).dependsOnLines == [5])
    }

    @Test func icmpTypesByNumberNameCodeAndAny() throws {
        let ping = Packet.icmp(from: client, to: host, type: 8, in: "eth0")
        let portUnreachable = Packet.icmp(from: client, to: host, type: 3, code: 3, in: "eth0")
        #expect(try verdict("-p icmp -m icmp --icmp-type 8", ping).value == .accept)
        #expect(try verdict("-p icmp -m icmp --icmp-type echo-request", ping).value == .accept)
        #expect(try verdict("-p icmp -m icmp --icmp-type any", ping).value == .accept)
        #expect(try verdict("-p icmp -m icmp ! --icmp-type 8", ping).value == .drop)
        #expect(try verdict("-p icmp -m icmp --icmp-type port-unreachable", portUnreachable).value == .accept)
        #expect(try verdict("-p icmp -m icmp --icmp-type 3/1", portUnreachable).value == .drop)
        #expect(try verdict("-p icmp -m icmp --icmp-type destination-unreachable", portUnreachable).value == .accept)
        #expect(try verdict("-p icmp -m icmp --icmp-type 8", Packet.udp(from: client, to: host, port: 8, in: "eth0")).value == .drop)
    }

    @Test func icmpv6NamesAndNumbers() throws {
        let solicitation = Packet.icmp(from: ip("fe80::1"), to: ip("ff02::1:ff00:1"), type: 135, in: "br0")
        #expect(try verdict("-p icmpv6 -m icmp6 --icmpv6-type neighbour-solicitation", solicitation, family: .ipv6).value == .accept)
        #expect(try verdict("-p ipv6-icmp -m icmp6 --icmpv6-type 135", solicitation, family: .ipv6).value == .accept)
        #expect(try verdict("-p icmpv6 -m icmp6 --icmpv6-type router-advertisement", solicitation, family: .ipv6).value == .drop)
        #expect(try verdict("-p icmpv6 --icmpv6-type 135", solicitation, family: .ipv6).value == .accept)
    }

    @Test func addressRanges() throws {
        let packet = Packet.udp(from: ip("10.99.0.50"), to: host, port: 67, in: "br0")
        #expect(try verdict("-m iprange --src-range 10.99.0.10-10.99.0.99", packet).value == .accept)
        #expect(try verdict("-m iprange --src-range 10.99.0.51-10.99.0.99", packet).value == .drop)
        #expect(try verdict("-m iprange ! --src-range 10.99.0.51-10.99.0.99 --dst-range 10.99.0.1-10.99.0.1", packet).value == .accept)
    }

    @Test func markMacAndRoutingHeader() throws {
        var packet = Packet.udp(from: client, to: host, port: 53, in: "eth0")
        packet.mark = 0x1
        packet.sourceMAC = "02:00:00:aa:bb:cc"
        #expect(try verdict("-m mark --mark 0x1", packet).value == .accept)
        #expect(try verdict("-m mark --mark 0x2/0x2", packet).value == .drop)
        #expect(try verdict("-m mac --mac-source 02:00:00:AA:BB:CC", packet).value == .accept)
        #expect(try verdict("-m mac ! --mac-source 02:00:00:AA:BB:CC", packet).value == .drop)
        #expect(try verdict("-m mac --mac-source XX:XX:XX:XX:XX:XX", packet).dependsOnLines == [5])
        let v6 = Packet.udp(from: ip("fd00::5"), to: ip("fd00::1"), port: 53, in: "eth0")
        #expect(try verdict("-m rt --rt-type 0", v6, family: .ipv6).value == .drop)  // no routing header: never matches
        var withHeader = v6
        withHeader.routingHeaderType = 0
        #expect(try verdict("-m rt --rt-type 0", withHeader, family: .ipv6).value == .accept)
    }
}

@Suite struct RulesetEvaluatorThreeValuedTests {
    let client = ip("10.99.0.5")
    let host = ip("10.99.0.1")

    func input(_ rules: String) throws -> Evaluation {
        try RulesetEvaluator(try parseRules(filterRules(rules))).evaluate(.tcp(from: client, to: host, port: 22, in: "eth0"), table: "filter", chain: "INPUT")
    }

    @Test func rateLimitedLogBeforeAcceptIsStillDefinite() throws {
        let result = try input("-A INPUT -m limit --limit 5/min -j LOG\n-A INPUT -p tcp --dport 22 -j ACCEPT")
        #expect(result.verdict.value == .accept)
        #expect(result.applies(targetNamed: "LOG").dependsOnLines == [5])
    }

    @Test func undecidableDropMakesItDependOnThatRule() throws {
        let result = try input("""
            -A INPUT -p tcp -m recent --update --seconds 60 --hitcount 3 --name ssh --rsource --dport 22 -j DROP
            -A INPUT -p tcp --dport 22 -j ACCEPT
            """)
        guard case .depends(let rules, let possibilities) = result.verdict else { Issue.record("expected depends"); return }
        #expect(rules.map(\.line) == [5])
        #expect(Set(possibilities) == [.accept, .drop])
    }

    @Test func bothBranchesReachingTheSameVerdictIsDefinite() throws {
        let result = try input("-A INPUT -m hashlimit --hashlimit-above 10/sec --hashlimit-name x -j ACCEPT\n-A INPUT -j ACCEPT")
        #expect(result.verdict.value == .accept)
        #expect(result.outcomes.count == 2)
    }

    @Test func decisionsReadAsOneLinePlusEvidence() throws {
        let holds = try input("-A INPUT -p tcp --dport 22 -j ACCEPT").verdict
        #expect(holds.description == "ACCEPT\n    filter INPUT line 5: -A INPUT -p tcp --dport 22 -j ACCEPT")
        let depends = try input("-A INPUT -m recent --rcheck --name bad -j DROP\n-A INPUT -j ACCEPT").verdict
        #expect(depends.description == "depends (ACCEPT or DROP) on\n    filter INPUT line 5: -A INPUT -m recent --rcheck --name bad -j DROP")
    }

    @Test func undecidableJumpExploresBothSides() throws {
        let text = filterRules(chains: ["banned"], """
            -A INPUT -m set --match-set blocklist src -j banned
            -A INPUT -j ACCEPT
            -A banned -j DROP
            """)
        let result = try RulesetEvaluator(try parseRules(text)).evaluate(.tcp(from: client, to: host, port: 22, in: "eth0"), table: "filter", chain: "INPUT")
        #expect(result.outcomes.map(\.verdict) == [.accept, .drop])
        #expect(result.verdict.dependsOnLines == [6])
    }

    @Test func aDefinitelyFailingMatchBeatsAnUndecidableOne() throws {
        // The recent match cannot be decided, but -p udp fails for a TCP packet, so the rule cannot match.
        let result = try input("-A INPUT -p udp -m recent --rcheck --name x -j ACCEPT\n-A INPUT -j REJECT")
        #expect(result.verdict.value == .reject(with: nil))
    }

    @Test func recentSetAlwaysMatches() throws {
        let result = try input("-A INPUT -p tcp -m recent --set --name scan --rsource -j REJECT --reject-with tcp-reset")
        #expect(result.verdict.value == .reject(with: "tcp-reset"))
    }

    @Test func branchLimitNeverYieldsADefiniteAnswer() throws {
        let rules = (0..<20).map { "-A INPUT -m statistic --mode random --probability 0.5 -j MARK --set-mark \($0)" }.joined(separator: "\n")
        var evaluator = RulesetEvaluator(try parseRules(filterRules(rules + "\n-A INPUT -j ACCEPT")))
        evaluator.branchLimit = 64
        let result = try evaluator.evaluate(.tcp(from: client, to: host, port: 22, in: "eth0"), table: "filter", chain: "INPUT")
        #expect(result.truncated)
        #expect(result.verdict.value == nil)
    }
}

@Suite struct RulesetEvaluatorPathTests {
    let client = ip("10.99.0.5")
    let internet = ip("198.51.100.7")

    let gateway = """
        *raw
        :PREROUTING ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        -A PREROUTING -i lo -j NOTRACK
        COMMIT
        *mangle
        :PREROUTING ACCEPT [0:0]
        :INPUT ACCEPT [0:0]
        :FORWARD ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :POSTROUTING ACCEPT [0:0]
        -A FORWARD -i br-ffx -o eth0 -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu
        COMMIT
        *nat
        :PREROUTING ACCEPT [0:0]
        :INPUT ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :POSTROUTING ACCEPT [0:0]
        -A PREROUTING -i eth0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.99.0.80:80
        -A POSTROUTING -s 10.99.0.0/16 -o eth0 -j MASQUERADE
        COMMIT
        *filter
        :INPUT DROP [0:0]
        :FORWARD DROP [0:0]
        :OUTPUT ACCEPT [0:0]
        -A INPUT -m conntrack --ctstate UNTRACKED -j ACCEPT
        -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
        -A FORWARD -i br-ffx -o eth0 -j ACCEPT
        -A FORWARD -i eth0 -o br-ffx -d 10.99.0.80 -p tcp --dport 80 -j ACCEPT
        COMMIT
        """

    @Test func clientTrafficIsMasqueradedOnlyOutTheUplink() throws {
        let evaluator = RulesetEvaluator(try parseRules(gateway))
        let out = try evaluator.evaluate(.udp(from: client, to: internet, port: 443, in: "br-ffx", out: "eth0"), path: .forward)
        #expect(out.verdict.value == .accept)
        #expect(out.isSourceTranslated.value == true)
        #expect(out.isSourceTranslated.provingLines?.contains(20) == true)
        let elsewhere = try evaluator.evaluate(.udp(from: client, to: internet, port: 443, in: "br-ffx", out: "eth1"), table: "nat", chain: "POSTROUTING")
        #expect(elsewhere.isSourceTranslated.value == false)
    }

    @Test func natSeesOnlyTheFirstPacket() throws {
        let evaluator = RulesetEvaluator(try parseRules(gateway))
        let later = try evaluator.evaluate(.udp(from: client, to: internet, port: 443, in: "br-ffx", out: "eth0", state: .established), table: "nat", chain: "POSTROUTING")
        #expect(later.isSourceTranslated.value == false)
        guard case .holds(_, let steps) = later.isSourceTranslated else { Issue.record("not definite"); return }
        #expect(steps.contains { if case .skipped = $0.kind { true } else { false } })
    }

    @Test func forwardedSynToTheUplinkIsClampedButAckIsNot() throws {
        let evaluator = RulesetEvaluator(try parseRules(gateway))
        let syn = Packet.tcp(from: client, to: internet, port: 443, in: "br-ffx", out: "eth0")
        #expect(try evaluator.evaluate(syn, path: .forward).applies(targetNamed: "TCPMSS").value == true)
        let ack = Packet.tcp(from: client, to: internet, port: 443, in: "br-ffx", out: "eth0", state: .established)
        #expect(try evaluator.evaluate(ack, path: .forward).applies(targetNamed: "TCPMSS").value == false)
        let inbound = Packet.tcp(from: internet, to: client, port: 443, in: "eth0", out: "br-ffx")
        #expect(try evaluator.evaluate(inbound, path: .forward).applies(targetNamed: "TCPMSS").value == false)
    }

    @Test func dnatRewritesTheDestinationFilterSees() throws {
        let evaluator = RulesetEvaluator(try parseRules(gateway))
        let packet = Packet.tcp(from: internet, to: ip("203.0.113.1"), port: 8080, in: "eth0", out: "br-ffx")
        let result = try evaluator.evaluate(packet, path: .forward)
        #expect(result.verdict.value == .accept)
        #expect(result.outcomes.first?.packet.destination == ip("10.99.0.80"))
        #expect(result.verdict.provingLines == [19, 29])
    }

    @Test func notrackInRawMakesFilterSeeUntracked() throws {
        let evaluator = RulesetEvaluator(try parseRules(gateway))
        let result = try evaluator.evaluate(.udp(from: ip("127.0.0.1"), to: ip("127.0.0.1"), port: 53, in: "lo"), path: .input)
        #expect(result.verdict.value == .accept)
        #expect(result.verdict.provingLines == [4, 26])
    }

    @Test func familyMismatchIsAnError() throws {
        let evaluator = RulesetEvaluator(try parseRules(gateway))
        #expect(throws: RulesetEvaluator.Failure.self) {
            try evaluator.evaluate(.udp(from: ip("fd00::1"), to: ip("fd00::2"), port: 53, in: "eth0"), path: .input)
        }
    }
}
