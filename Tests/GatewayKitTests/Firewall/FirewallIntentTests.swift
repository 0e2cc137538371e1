import Testing
@testable import GatewayKit
@testable import FirewallKit

@Suite struct FirewallIntentTests {
    let gateway = ip("10.99.0.1")
    let node = ip("10.99.0.5")
    let stranger = ip("93.184.216.34")

    @Test func ffgcIntentsHoldFailOrDependWithEvidence() throws {
        let evaluator = RulesetEvaluator(try FirewallCorpus.ruleset("ffgc-sargon-gateway.iptables-save"))
        let results = evaluator.check([
            FirewallIntent("DNS from the mesh", packet: .udp(from: node, to: gateway, port: 53, in: "br-ffgc"), path: .input, expect: .accepted),
            FirewallIntent("DNS from the WAN", packet: .udp(from: stranger, to: gateway, port: 53, in: "eth0"), path: .input, expect: .blocked),
            FirewallIntent("NTP from the WAN", packet: .udp(from: stranger, to: gateway, port: 123, in: "eth0"), path: .input, expect: .accepted),
            FirewallIntent("SSH from the WAN", packet: .tcp(from: stranger, to: gateway, port: 22, in: "eth0"), path: .input, expect: .accepted),
            FirewallIntent("client traffic via the VPN", packet: .tcp(from: node, to: stranger, port: 443, in: "br-ffgc", out: "tun-anonvpn"),
                           path: .forward, expect: .sourceTranslated),
            FirewallIntent("client traffic via eth0", packet: .tcp(from: node, to: stranger, port: 443, in: "br-ffgc", out: "eth0"),
                           path: .forward, expect: .sourceTranslated),
            FirewallIntent("forwarded SYN clamped", packet: .tcp(from: node, to: stranger, port: 443, in: "br-ffgc", out: "eth0"),
                           path: .forward, expect: .targetApplied("TCPMSS")),
        ])
        #expect(results.map(\.status) == [.holds, .holds, .violated, .undetermined, .holds, .violated, .violated])
        #expect(results[0].evidence.compactMap { $0.rule?.line } == [48, 76, 94])
        #expect(results[2].evidence.compactMap { $0.rule?.line } == [48, 77, 123])
        #expect(results[3].dependsOn.map(\.line) == [119])
        #expect(results[3].description.hasPrefix("UNDECIDED: SSH from the WAN is accepted depends on\n    filter wan-input line 119: -A wan-input"))
        #expect(results[0].description.contains("filter mesh-input line 94: -A mesh-input -p udp -m udp --dport 53"))
    }

    @Test func intentForTheWrongFamilyIsUndetermined() throws {
        let evaluator = RulesetEvaluator(try FirewallCorpus.ruleset("ffgc-sargon-gateway.iptables-save"))
        let result = evaluator.check([FirewallIntent("v6 DNS", packet: .udp(from: ip("fd00::2"), to: ip("fd00::1"), port: 53, in: "br-ffgc"),
                                                     path: .input, expect: .accepted)])
        #expect(result.map(\.status) == [.undetermined])
    }
}

/// The MSS intent counts only a `--set-mss` low enough for the mesh; the path MTU of a 1500-byte bridge says nothing.
@Suite struct MSSIntentTests {
    func status(_ mangle: String) throws -> IntentResult.Status {
        let ruleset = try RulesetParser.parse("*mangle\n:FORWARD ACCEPT [0:0]\n\(mangle)COMMIT\n", family: .ipv4)
        let syn = FirewallIntent("SYN", packet: .tcp(from: ip("10.99.0.5"), to: ip("93.184.216.34"), port: 443, in: "br-ffx", out: "eth0"),
                                 path: .forward, expect: .mssSetAtMost(1240))
        return try #require(RulesetEvaluator(ruleset).check([syn]).first).status
    }

    @Test func onlyASetMSSAtOrBelowTheMeshsHolds() throws {
        let rule = "-A FORWARD -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS "
        #expect(try status(rule + "--set-mss 1240\n") == .holds)
        #expect(try status(rule + "--set-mss 1200\n") == .holds)
        #expect(try status(rule + "--set-mss 1460\n") == .violated)
        #expect(try status(rule + "--clamp-mss-to-pmtu\n") == .violated)
        #expect(try status("") == .violated)
        // The kernel only lowers the MSS, so a later, larger value does not undo an earlier, smaller one.
        #expect(try status(rule + "--set-mss 1240\n" + rule + "--set-mss 1460\n") == .holds)
        #expect(try status("-A FORWARD -i br-other -p tcp -j TCPMSS --set-mss 1240\n") == .violated)
    }
}
