import Foundation
import Testing
@testable import GatewayKit
@testable import GatewayBase
@testable import FirewallKit

/// Published dumps redact MACs; the kernel wants real ones.
private func loadable(_ file: String) throws -> Ruleset {
    let source = try FirewallCorpus.iptablesFile(file)
    return try RulesetParser.parse(source.text.replacingOccurrences(of: "XX:XX:XX:XX:XX:XX", with: "02:00:5E:00:53:01"), file: source.path)
}

@Suite(.serialized) struct RealIptablesTests {
    @Test(arguments: try FirewallCorpus.allIptablesFiles())
    func kernelAcceptsThePrintedRuleset(_ file: String) throws {
        let ruleset = try loadable(file)
        let namespace = try ThrowawayNamespace()
        let tool = ruleset.family == .ipv4 ? "iptables-restore" : "ip6tables-restore"
        let result = try namespace.exec([tool, "--test"], input: RulesetPrinter.print(ruleset))
        #expect(result.status == 0, "\(tool) --test: \(result.error)")
    }

    @Test(arguments: ["ffgc-sargon-gateway.iptables-save", "ffulm-server-config.rules.v6", "large-medium-sized-company.iptables-save",
                      "ffhh-puppet-ff_gw.rules.v4"])
    func whatTheKernelSavesParsesToTheSameRules(_ file: String) throws {
        let ruleset = try loadable(file).normalized
        let namespace = try ThrowawayNamespace()
        let family = ruleset.family == .ipv4 ? "iptables" : "ip6tables"
        let restored = try namespace.exec(["\(family)-restore"], input: RulesetPrinter.print(ruleset))
        #expect(restored.status == 0, "\(family)-restore: \(restored.error)")
        let saved = try namespace.exec(["\(family)-save"])
        #expect(saved.status == 0)
        let live = try RulesetParser.parse(saved.output, file: "\(family)-save").normalized
        #expect(live.family == ruleset.family)
        for table in ruleset.tables {
            let liveTable = try #require(live.table(table.name), "table \(table.name) missing after restore")
            for chain in table.chains {
                let liveChain = try #require(liveTable.chain(chain.name), "chain \(chain.name) missing")
                #expect(liveChain.policy == chain.policy)
                #expect(liveChain.rules == chain.rules, "rules of \(table.name) \(chain.name)")
            }
        }
    }

    @Test func kernelRejectsWhatTheParserRejects() throws {
        // The same typo both ways: if the kernel accepted it, the parser's refusal would be a false alarm.
        let text = "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT --bogus\nCOMMIT\n"
        #expect(throws: RulesetParseError.self) { try RulesetParser.parse(text) }
        let namespace = try ThrowawayNamespace()
        #expect(try namespace.exec(["iptables-restore", "--test"], input: text).status != 0)
    }
}

/// Every typed match and target in one ruleset per family, so each printed form is checked against the kernel.
@Suite(.serialized) struct RealIptablesEveryFormTests {
    static let ipv4 = """
        *raw
        :PREROUTING ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        -A PREROUTING -i lo -j NOTRACK
        -A OUTPUT -o lo -j CT --notrack
        COMMIT
        *mangle
        :PREROUTING ACCEPT [0:0]
        :INPUT ACCEPT [0:0]
        :FORWARD ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :POSTROUTING ACCEPT [0:0]
        -A PREROUTING -i br-ffx -j MARK --set-xmark 0x1/0xffffffff
        -A PREROUTING -i eth1 -j MARK --set-xmark 0x4/0x4
        -A FORWARD -o eth0 -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu
        -A FORWARD -o eth1 -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss 1240
        COMMIT
        *nat
        :PREROUTING ACCEPT [0:0]
        :INPUT ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :POSTROUTING ACCEPT [0:0]
        -A PREROUTING -i eth0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.99.0.80:80
        -A POSTROUTING -s 10.99.0.0/16 -o eth0 -j MASQUERADE
        -A POSTROUTING -s 10.98.0.0/16 -o eth1 -j SNAT --to-source 192.0.2.1
        COMMIT
        *filter
        :INPUT DROP [0:0]
        :FORWARD DROP [0:0]
        :OUTPUT ACCEPT [0:0]
        :mesh - [0:0]
        :wan - [0:0]
        -A INPUT -i lo -j ACCEPT
        -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
        -A INPUT -m conntrack --ctstate INVALID -j DROP
        -A INPUT -i br-+ -j mesh
        -A INPUT ! -i br-+ -g wan
        -A FORWARD -f -j DROP
        -A FORWARD ! -s 10.99.0.0/16 -i br-ffx -j REJECT --reject-with icmp-net-prohibited
        -A FORWARD -i br-ffx -o eth0 -m state --state NEW -j ACCEPT
        -A mesh -p udp -m udp --sport 68 --dport 67 -j ACCEPT
        -A mesh -m iprange --src-range 10.99.0.10-10.99.3.250 ! --dst-range 10.99.0.1-10.99.0.3 -j ACCEPT
        -A mesh -p udp -m multiport --dports 53,123,1001,16962 -m comment --comment "mesh services: dns, ntp \\"respondd\\", alfred" -j ACCEPT
        -A mesh -p tcp -m multiport ! --sports 0:1023 -m tcp --dport 53 -j ACCEPT
        -A mesh -p tcp -m multiport --ports 22,80 -j ACCEPT
        -A mesh -m pkttype --pkt-type multicast -j ACCEPT
        -A mesh -m addrtype --src-type LOCAL ! --dst-type UNICAST --limit-iface-in -j ACCEPT
        -A mesh -p icmp -m icmp --icmp-type any -j ACCEPT
        -A mesh -m mark ! --mark 0x1/0xff -j RETURN
        -A mesh -m mac --mac-source 02:00:5E:00:53:01 -j DROP
        -A mesh -m limit --limit 5/min --limit-burst 10 -j LOG --log-prefix "mesh drop: " --log-level 6
        -A mesh -j DROP
        -A wan -p udp -m udp --dport 10000:10010 -j ACCEPT
        -A wan -p tcp -m tcp --dport 22 --tcp-flags FIN,SYN,RST,ACK SYN -m conntrack --ctstate NEW -m recent --set --name ssh --mask 255.255.255.255 --rsource
        -A wan -p tcp -m tcp --dport 22 -m recent --update --seconds 60 --hitcount 5 --name ssh --mask 255.255.255.255 --rsource -j DROP
        -A wan -p tcp -m tcp --dport 22 -j ACCEPT
        -A wan -p icmp -m icmp --icmp-type 8 -j ACCEPT
        -A wan -p icmp -m icmp --icmp-type 3/4 -j ACCEPT
        -A wan -p sctp -m sctp --dport 9 -j ACCEPT
        -A wan -p gre -j ACCEPT
        -A wan -j REJECT --reject-with icmp-port-unreachable
        COMMIT

        """

    static let ipv6 = """
        *filter
        :INPUT DROP [0:0]
        :FORWARD DROP [0:0]
        :OUTPUT ACCEPT [0:0]
        -A INPUT -m rt --rt-type 0 -j DROP
        -A INPUT -s fe80::/10 -p ipv6-icmp -m icmp6 --icmpv6-type 135 -j ACCEPT
        -A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 1/4 -j ACCEPT
        -A INPUT -d fd99:1234:5678::1/128 -i br-ffx -p udp -m udp --dport 53 -j ACCEPT
        -A INPUT -m addrtype --dst-type MULTICAST -j ACCEPT
        -A INPUT -m iprange --src-range fd99:1234:5678::100-fd99:1234:5678::1ff -j ACCEPT
        -A INPUT -j REJECT --reject-with icmp6-adm-prohibited
        -A FORWARD -i br-ffx -o eth0 -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss 1220
        COMMIT

        """

    @Test(arguments: [(IPFamily.ipv4, ipv4), (.ipv6, ipv6)])
    func everyPrintedFormLoadsAndSavesBackTheSame(_ family: IPFamily, _ text: String) throws {
        let ruleset = try RulesetParser.parse(text, file: "every-form", family: family)
        let printed = RulesetPrinter.print(ruleset)
        #expect(printed == text, "the normalised form is what iptables-save prints")
        let namespace = try ThrowawayNamespace()
        let tool = family == .ipv4 ? "iptables" : "ip6tables"
        let restored = try namespace.exec(["\(tool)-restore"], input: printed)
        #expect(restored.status == 0, "\(tool)-restore: \(restored.error)")
        let saved = try namespace.exec(["\(tool)-save"])
        let live = try RulesetParser.parse(saved.output, file: "\(tool)-save")
        for table in ruleset.tables {
            for chain in table.chains {
                let liveRules = live.table(table.name)?.chain(chain.name)?.rules.map(RulesetPrinter.line)
                #expect(liveRules == chain.rules.map(RulesetPrinter.line), "\(table.name) \(chain.name)")
            }
        }
    }

    @Test func rulesBuiltInCodeLoad() throws {
        // What a desired-state generator would build: no text involved until the printer runs.
        let mesh = IPNetwork("10.99.0.0/16")!
        var filter = Table(name: "filter", chains: [
            Chain(name: "INPUT", policy: .drop), Chain(name: "FORWARD", policy: .drop), Chain(name: "OUTPUT", policy: .accept),
        ])
        filter.chains[0].rules = [
            Rule(chain: "INPUT", matches: [.inInterface(InterfaceMatch("bat0")), .protocol(ProtocolMatch(IPProtocolNumber.udp)),
                                           .transport(TransportMatch(protocolName: "udp", destinationPort: PortMatch(53...53)))], target: .accept),
            Rule(chain: "INPUT", matches: [.source(AddressMatch(mesh)), .protocol(ProtocolMatch(IPProtocolNumber.tcp)),
                                           .multiport(MultiportMatch(.destination, ports: [22...22, 80...80, 443...443]))], target: .accept),
        ]
        filter.chains[1].rules = [
            Rule(chain: "FORWARD", matches: [.conntrack(ConntrackMatch(state: StateMatch([.related, .established])))], target: .accept),
            Rule(chain: "FORWARD", matches: [.source(AddressMatch(mesh)), .outInterface(InterfaceMatch("eth0"))], target: .accept),
        ]
        let ruleset = Ruleset(family: .ipv4, tables: [filter])
        let namespace = try ThrowawayNamespace()
        let result = try namespace.exec(["iptables-restore"], input: RulesetPrinter.print(ruleset))
        #expect(result.status == 0, "iptables-restore: \(result.error)")
        let live = try RulesetParser.parse(try namespace.exec(["iptables-save"]).output).normalized
        #expect(live.table("filter") == ruleset.normalized.table("filter"))
        let verdict = try RulesetEvaluator(live).evaluate(.udp(from: ip("10.99.0.5"), to: ip("10.99.0.1"), port: 53, in: "bat0"), path: .input).verdict
        #expect(verdict.value == .accept)
    }
}

/// Drift comparison: a rendered file and the kernel's own dump of it must compare equal once normalised.
@Suite(.serialized) struct DriftComparisonTests {
    /// As gwsetup renders it: tables in its own order, rules grouped by purpose, comments quoted.
    static let rendered = """
        # IPv4 firewall of gateway gw1. Generated by gwsetup.
        *filter
        :INPUT DROP [0:0]
        :FORWARD DROP [0:0]
        :OUTPUT ACCEPT [0:0]
        :gw-wan-in - [0:0]
        :gw-mesh-in - [0:0]
        -A INPUT -i lo -j ACCEPT
        -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
        -A INPUT -i br-ffx -j gw-mesh-in
        -A INPUT -i eth0 -j gw-wan-in
        -A gw-mesh-in -p udp -m udp --dport 53 -m comment --comment "dns" -j ACCEPT
        -A gw-wan-in -p tcp -m tcp --dport 22 -m comment --comment "ssh" -j ACCEPT
        -A FORWARD -s 10.99.0.0/16 -i br-ffx -o eth0 -m comment --comment "clients of ffx to the internet" -j ACCEPT
        COMMIT
        *nat
        :PREROUTING ACCEPT [0:0]
        :INPUT ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :POSTROUTING ACCEPT [0:0]
        -A POSTROUTING -s 10.99.0.0/16 -o eth0 -j MASQUERADE
        COMMIT
        *mangle
        :PREROUTING ACCEPT [0:0]
        :INPUT ACCEPT [0:0]
        :FORWARD ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :POSTROUTING ACCEPT [0:0]
        -A FORWARD -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu
        COMMIT
        *raw
        :PREROUTING ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        COMMIT

        """

    @Test func renderedRulesAndTheLiveDumpHaveNoDrift() throws {
        let desired = try RulesetParser.parse(Self.rendered, file: "rules.v4")
        let namespace = try ThrowawayNamespace()
        #expect(try namespace.exec(["iptables-restore"], input: Self.rendered).status == 0)
        let saved = try namespace.exec(["iptables-save", "-c"])
        let live = try RulesetParser.parse(saved.output, file: "iptables-save")
        #expect(live != desired, "the raw forms differ (order, quoting, counters)")
        #expect(live.normalized == desired.normalized)
        #expect(RulesetPrinter.print(live.normalized) == RulesetPrinter.print(desired.normalized))
    }

    @Test func aRuleChangedBehindOurBackIsDrift() throws {
        let desired = try RulesetParser.parse(Self.rendered, file: "rules.v4")
        let namespace = try ThrowawayNamespace()
        #expect(try namespace.exec(["iptables-restore"], input: Self.rendered).status == 0)
        #expect(try namespace.exec(["iptables", "-I", "gw-wan-in", "-p", "udp", "--dport", "53", "-j", "ACCEPT"]).status == 0)
        let live = try RulesetParser.parse(try namespace.exec(["iptables-save"]).output, file: "iptables-save")
        #expect(live.normalized != desired.normalized)
        let extra = live.normalized.table("filter")?.chain("gw-wan-in")?.rules.first.map(RulesetPrinter.line)
        #expect(extra == "-A gw-wan-in -p udp -m udp --dport 53 -j ACCEPT")
    }
}
