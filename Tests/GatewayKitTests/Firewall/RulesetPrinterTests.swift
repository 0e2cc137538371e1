import Testing
@testable import GatewayKit
@testable import FirewallKit

@Suite struct RulesetPrinterTests {
    static let generatedByIptablesSave = [
        "ffgc-sargon-gateway.iptables-save", "ffhh-puppet-ff_gw.rules.v4", "ffhh-puppet-ff_gw.rules.v6",
        "ffmuc-wireguard-gw.rules.v4", "large-medium-sized-company.iptables-save", "large-tum-net-2015-09-03.iptables-save",
    ]

    @Test(arguments: try FirewallCorpus.allIptablesFiles())
    func parsePrintParseIsEqualAndPrintingIsStable(_ file: String) throws {
        let original = try FirewallCorpus.ruleset(file)
        let printed = RulesetPrinter.print(original)
        let reparsed = try RulesetParser.parse(printed, file: "printed-\(file)", family: original.family)
        #expect(reparsed == original)
        #expect(RulesetPrinter.print(reparsed) == printed)
    }

    @Test(arguments: generatedByIptablesSave)
    func printsIptablesSaveOutputBackUnchanged(_ file: String) throws {
        let source = try FirewallCorpus.iptablesFile(file)
        let expected = source.text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.joined(separator: "\n") + "\n"
        #expect(RulesetPrinter.print(try RulesetParser.parse(source.text, file: source.path)) == expected)
    }

    @Test func handWrittenShorthandIsNormalised() throws {
        let ruleset = try parseRules(filterRules("""
            -A INPUT -i bat0 -p udp --dport domain -m state --state ESTABLISHED,RELATED -j ACCEPT
            -A INPUT -p tcp --syn -j MARK --set-mark 0x2
            -A INPUT -p icmp --icmp-type echo-request -j ACCEPT
            """))
        let lines = ruleset.table("filter")!.chain("INPUT")!.rules.map(RulesetPrinter.line)
        #expect(lines == [
            "-A INPUT -i bat0 -p udp -m udp --dport 53 -m state --state RELATED,ESTABLISHED -j ACCEPT",
            "-A INPUT -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j MARK --set-xmark 0x2/0xffffffff",
            "-A INPUT -p icmp -m icmp --icmp-type 8 -j ACCEPT",
        ])
    }

    @Test func quotedArgumentsSurviveARoundTrip() throws {
        let ruleset = try parseRules(filterRules(#"""
            -A INPUT -m comment --comment "say \"hi\" to the mesh" -j LOG --log-prefix "in: "
            -A INPUT -m comment --comment 'single quoted' -j ACCEPT
            """#))
        let rules = ruleset.table("filter")!.chain("INPUT")!.rules
        #expect(rules[0].matches == [.comment(#"say "hi" to the mesh"#)])
        #expect(rules[1].matches == [.comment("single quoted")])
        #expect(RulesetPrinter.line(rules[0]) == #"-A INPUT -m comment --comment "say \"hi\" to the mesh" -j LOG --log-prefix "in: ""#)
        let reparsed = try parseRules(RulesetPrinter.print(ruleset))
        #expect(reparsed == ruleset)
    }

    @Test func unknownModulesAndTargetsAreKeptVerbatim() throws {
        let text = filterRules("""
            -A INPUT -m hashlimit --hashlimit-upto 5/sec --hashlimit-burst 10 --hashlimit-name ssh -m time --timestart 08:00 -j NFQUEUE --queue-num 3 --queue-bypass
            -A INPUT -m string --string "GET /" --algo bm -m set ! --match-set bad src -j ACCEPT
            """)
        let ruleset = try parseRules(text)
        let rules = ruleset.table("filter")!.chain("INPUT")!.rules
        #expect(rules[0].target == .other(name: "NFQUEUE", options: [ExtensionOption("queue-num", values: ["3"]), ExtensionOption("queue-bypass")]))
        #expect(rules[1].matches.last == .module(ModuleMatch(name: "set", options: [ExtensionOption("match-set", negated: true, values: ["bad", "src"])])))
        #expect(RulesetPrinter.print(ruleset) == text)
    }

    @Test func countersAreKept() throws {
        let text = "*filter\n:INPUT DROP [12:3456]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n[5:300] -A INPUT -i lo -j ACCEPT\nCOMMIT\n"
        let ruleset = try parseRules(text)
        #expect(ruleset.table("filter")?.chain("INPUT")?.counters == Counters(packets: 12, bytes: 3456))
        #expect(ruleset.allRules.first?.counters == Counters(packets: 5, bytes: 300))
        #expect(RulesetPrinter.print(ruleset) == text)
    }
}
