import Testing
@testable import GatewayKit
@testable import GatewayBase
@testable import FirewallKit

/// How single rules come out of the parser: the typed model the evaluator and printer rely on.
@Suite struct RuleParserTests {
    func rule(_ text: String, family: IPFamily = .ipv4, table: String = "filter", chain: String = "INPUT") throws -> Rule {
        let builtins = BuiltinChains.byTable[table]!.map { ":\($0) ACCEPT [0:0]\n" }.joined()
        let ruleset = try RulesetParser.parse("*\(table)\n\(builtins):jumpee - [0:0]\n-A \(chain) \(text)\nCOMMIT\n", file: "r", family: family)
        return try #require(ruleset.table(table)?.chain(chain)?.rules.first)
    }

    @Test func intrinsicMatchesWithBothNegationSpellings() throws {
        let modern = try rule("! -s 10.0.0.0/8 ! -i eth+ -p ! udp -j DROP")
        let legacy = try rule("-s ! 10.0.0.0/8 -i ! eth+ ! -p udp -j DROP")
        #expect(modern.matches == [
            .source(AddressMatch(.v4(IPv4Network("10.0.0.0/8")!), negated: true)),
            .inInterface(InterfaceMatch("eth+", negated: true)),
            .protocol(ProtocolMatch(17, negated: true)),
        ])
        #expect(legacy.matches == modern.matches)
    }

    @Test func legacyNegatedPortAndModernSpellingAgree() throws {
        #expect(try rule("-p tcp -m tcp --dport ! 22 -j DROP") == rule("-p tcp -m tcp ! --dport 22 -j DROP"))
    }

    @Test func tcpOptionsAreTyped() throws {
        let parsed = try rule("-p tcp -m tcp --sport 1024: ! --syn --tcp-option 2 -j DROP")
        #expect(parsed.matches.last == .transport(TransportMatch(
            protocolName: "tcp", sourcePort: PortMatch(1024...65535),
            tcpFlags: TCPFlagsMatch(mask: [.fin, .syn, .rst, .ack], compare: [.syn], negated: true),
            extra: [ExtensionOption("tcp-option", values: ["2"])])))
    }

    @Test func everyMarkSpellingBecomesSetXmark() throws {
        #expect(try rule("-j MARK --set-mark 0x10", table: "mangle", chain: "PREROUTING").target == .setMark(value: 0x10, mask: .max))
        #expect(try rule("-j MARK --set-mark 0x10/0xf0", table: "mangle", chain: "PREROUTING").target == .setMark(value: 0x10, mask: 0xF0))
        #expect(try rule("-j MARK --or-mark 0x4", table: "mangle", chain: "PREROUTING").target == .setMark(value: 0x4, mask: 0x4))
        #expect(try rule("-j MARK --and-mark 0xff", table: "mangle", chain: "PREROUTING").target == .setMark(value: 0, mask: 0xFFFF_FF00))
        #expect(try rule("-j MARK --xor-mark 1", table: "mangle", chain: "PREROUTING").target == .setMark(value: 1, mask: 0))
    }

    @Test func natAndMangleTargetsAreTyped() throws {
        #expect(try rule("-o eth0 -j SNAT --to-source 192.0.2.1 --random", table: "nat", chain: "POSTROUTING").target
            == .sourceNAT(to: "192.0.2.1", options: [ExtensionOption("random")]))
        #expect(try rule("-p tcp --dport 80 -j DNAT --to-destination [fd00::80]:8080", family: .ipv6, table: "nat", chain: "PREROUTING").target
            == .destinationNAT(to: "[fd00::80]:8080", options: []))
        #expect(try rule("-o eth0 -j MASQUERADE --to-ports 1024-65535", table: "nat", chain: "POSTROUTING").target
            == .masquerade(options: [ExtensionOption("to-ports", values: ["1024-65535"])]))
        #expect(try rule("-p tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss 1240", table: "mangle", chain: "FORWARD").target == .clampMSS(.fixed(1240)))
        #expect(try rule("-j CT --notrack", table: "raw", chain: "PREROUTING").target == .notrack(name: "CT"))
        #expect(try rule("-j CT --zone 5", table: "raw", chain: "PREROUTING").target == .other(name: "CT", options: [ExtensionOption("zone", values: ["5"])]))
    }

    @Test func jumpsGotosAndCounters() throws {
        #expect(try rule("-j jumpee").target == .jump("jumpee"))
        #expect(try rule("-g jumpee").target == .goto("jumpee"))
        let counted = try rule("-i lo -c 10 2000 -j ACCEPT")
        #expect(counted.counters == Counters(packets: 10, bytes: 2000))
        #expect(try rule("-m comment --comment \"only counts\"").target == nil)
    }

    @Test func icmpNamesBecomeTypeAndCode() throws {
        #expect(try rule("-p icmp -m icmp --icmp-type host-unreachable -j DROP").matches.last
            == .icmp(ICMPTypeMatch(family: .ipv4, type: 3, codes: 1...1)))
        #expect(try rule("-p icmp -m icmp ! --icmp-type echo-request -j DROP").matches.last
            == .icmp(ICMPTypeMatch(family: .ipv4, type: 8, negated: true)))
        #expect(try rule("-p ipv6-icmp -m icmp6 --icmpv6-type neighbor-advertisement -j ACCEPT", family: .ipv6).matches.last
            == .icmp(ICMPTypeMatch(family: .ipv6, type: 136)))
        #expect(throws: RulesetParseError.self) { try rule("-p icmp -m icmp6 --icmpv6-type 135 -j ACCEPT") }
    }

    @Test func moduleOptionsMayFollowOtherModules() throws {
        // Hand-written files put a tcp option after another module; iptables routes it to tcp, and so do we.
        let parsed = try rule("-p tcp -m conntrack --ctstate NEW --dport 22 -j ACCEPT")
        #expect(parsed.moduleNames == ["conntrack", "tcp"])
    }
}
