import Testing
@testable import GatewayKit
@testable import GatewayBase
@testable import FirewallKit

/// The answer key of corpus/NOTES.md, one entry per iptables file.
private struct Expected: Sendable, CustomStringConvertible {
    var file: String
    var family: IPFamily
    var totalRules: Int
    /// "table/CHAIN" → (policy or nil for user chains, rule count); every chain of the file is listed.
    var chains: [String: (ChainPolicy?, Int)]
    var interfaces: Set<String>
    /// Module name → number of rules using it (explicit `-m` or implied by `-p tcp --dport`).
    var modules: [String: Int]
    var description: String { file }
}

private func builtins(_ table: String, _ policy: ChainPolicy = .accept, _ counts: [String: Int] = [:]) -> [String: (ChainPolicy?, Int)] {
    var result: [String: (ChainPolicy?, Int)] = [:]
    for chain in BuiltinChains.byTable[table]! { result["\(table)/\(chain)"] = (policy, counts[chain] ?? 0) }
    return result
}

private func users(_ table: String, _ counts: [String: Int]) -> [String: (ChainPolicy?, Int)] {
    var result: [String: (ChainPolicy?, Int)] = [:]
    for (chain, count) in counts { result["\(table)/\(chain)"] = (nil, count) }
    return result
}

private func merged(_ parts: [String: (ChainPolicy?, Int)]...) -> [String: (ChainPolicy?, Int)] {
    parts.reduce(into: [:]) { $0.merge($1) { a, _ in a } }
}

private let answerKey: [Expected] = [
    Expected(
        file: "ffgc-sargon-gateway.iptables-save", family: .ipv4, totalRules: 81,
        chains: merged(
            builtins("nat", .accept, ["POSTROUTING": 1]), builtins("mangle"),
            builtins("filter", .accept, ["INPUT": 9, "FORWARD": 9]),
            users("filter", [
                "DROP-log": 3, "bat-input": 2, "fwd-in": 4, "icvpn-fwd-icvpn-out": 1, "icvpn-fwd-in": 3, "icvpn-fwd-out": 1,
                "icvpn-input": 0, "input": 6, "mesh-fwd-br-ffgc-out": 1, "mesh-fwd-in": 6, "mesh-fwd-out": 1, "mesh-input": 13,
                "peering-fwd-in": 1, "peering-fwd-out": 1, "peering-input": 0, "uplink-fwd-in": 1, "uplink-fwd-out": 1,
                "uplink-fwd-tun-anonvpn-out": 1, "uplink-input": 0, "wan-input": 16,
            ])),
        interfaces: ["br-ffgc", "eth0", "eth1", "icvpn", "lo", "tun-anonvpn"],
        modules: ["tcp": 11, "comment": 10, "udp": 9, "conntrack": 8, "recent": 6]),
    Expected(
        file: "ffhh-puppet-ff_gw.rules.v4", family: .ipv4, totalRules: 7,
        chains: merged(builtins("nat", .accept, ["POSTROUTING": 1]), builtins("mangle", .accept, ["PREROUTING": 2]),
                       builtins("filter", .accept, ["INPUT": 1, "FORWARD": 3])),
        interfaces: ["br-ffhh", "mullvad", "eth0"], modules: ["state": 2]),
    Expected(
        file: "ffhh-puppet-ff_gw.rules.v6", family: .ipv6, totalRules: 4,
        chains: merged(builtins("mangle", .accept, ["PREROUTING": 1]), builtins("filter", .accept, ["INPUT": 1, "FORWARD": 1, "OUTPUT": 1])),
        interfaces: ["br-ffhh"], modules: ["rt": 3]),
    Expected(
        file: "ffmuc-wireguard-gw.rules.v4", family: .ipv4, totalRules: 3,
        chains: merged(builtins("nat", .accept, ["POSTROUTING": 1]), builtins("filter", .accept, ["INPUT": 1]), users("filter", ["f2b-sshd": 1])),
        interfaces: ["vlan3"], modules: ["multiport": 1]),
    Expected(
        file: "ffulm-server-config.rules.v4", family: .ipv4, totalRules: 12,
        chains: merged(builtins("filter", .drop, ["INPUT": 12]).merging(["filter/OUTPUT": (.accept, 0)]) { _, b in b }, builtins("nat")),
        interfaces: ["lo", "bat0"], modules: ["tcp": 7, "udp": 2, "state": 1]),
    Expected(
        // The key counts explicit -m (tcp 6, udp 1) and notes three rules with a bare --dport; those load tcp/udp implicitly.
        file: "ffulm-server-config.rules.v6", family: .ipv6, totalRules: 16,
        chains: merged(builtins("filter", .drop, ["INPUT": 14, "FORWARD": 2]).merging(["filter/OUTPUT": (.accept, 0)]) { _, b in b }, builtins("nat")),
        interfaces: ["lo", "bat0", "nat64"], modules: ["tcp": 7, "state": 3, "udp": 3]),
    Expected(
        file: "large-tum-net-2015-09-03.iptables-save", family: .ipv4, totalRules: 4973,
        chains: [:],  // checked separately below: 89 user chains
        interfaces: Set(["lo"]).union(["96", "97", "108", "109", "110", "116", "152", "171", "173", "1010", "1011", "1012", "1014", "1016",
                                  "1017", "1019", "1020", "1023", "1024", "1025", "1111"].map { "eth1.\($0)" }),
        modules: ["mac": 1653, "state": 1496, "tcp": 995, "multiport": 524, "udp": 355, "recent": 7, "limit": 3, "sctp": 2]),
    Expected(
        file: "large-medium-sized-company.iptables-save", family: .ipv4, totalRules: 598,
        chains: merged(
            builtins("security"), builtins("raw", .accept, ["PREROUTING": 1]), builtins("mangle"),
            builtins("nat", .accept, ["PREROUTING": 1, "POSTROUTING": 1]),
            builtins("filter", .drop, ["INPUT": 14, "FORWARD": 512]).merging(["filter/OUTPUT": (.accept, 0)]) { _, b in b },
            users("filter", ["FW": 52, "FW-OPEN": 11, "TCP": 3, "UDP": 3])),
        interfaces: ["eth0", "lo", "ppp0"],
        modules: ["conntrack": 7, "tcp": 7, "recent": 6, "icmp": 2, "udp": 2, "rpfilter": 1]),
]

@Suite struct RulesetCorpusTests {
    @Test func answerKeyCoversEveryCorpusFile() throws {
        #expect(Set(try FirewallCorpus.allIptablesFiles()) == Set(answerKey.map(\.file)))
    }

    @Test(arguments: answerKey)
    fileprivate func matchesAnswerKey(_ expected: Expected) throws {
        let ruleset = try FirewallCorpus.ruleset(expected.file)
        #expect(ruleset.family == expected.family)
        #expect(ruleset.allRules.count == expected.totalRules)
        if !expected.chains.isEmpty {
            var actual: [String: (ChainPolicy?, Int)] = [:]
            for table in ruleset.tables {
                for chain in table.chains { actual["\(table.name)/\(chain.name)"] = (chain.policy, chain.rules.count) }
            }
            #expect(Set(actual.keys) == Set(expected.chains.keys))
            for (key, value) in expected.chains {
                #expect(actual[key]?.0 == value.0, "policy of \(key)")
                #expect(actual[key]?.1 == value.1, "rule count of \(key)")
            }
        }
        var interfaces: Set<String> = []
        var modules: [String: Int] = [:]
        for rule in ruleset.allRules {
            for match in rule.matches {
                switch match {
                case .inInterface(let interface), .outInterface(let interface): interfaces.insert(interface.name)
                default: break
                }
            }
            for name in Set(rule.moduleNames) { modules[name, default: 0] += 1 }
        }
        #expect(interfaces == expected.interfaces)
        for (name, count) in expected.modules {
            #expect(modules[name] == count, "rules using module \(name)")
        }
    }

    @Test func tumUserChainsAndLargestChains() throws {
        let filter = try #require(try FirewallCorpus.ruleset("large-tum-net-2015-09-03.iptables-save").table("filter"))
        let userChains = filter.userChains
        #expect(userChains.count == 89)
        #expect(userChains.filter { $0.name.hasPrefix("filter_") }.count == 33)
        #expect(userChains.filter { $0.name.hasPrefix("mac_") }.count == 31)
        #expect(userChains.filter { $0.name.hasPrefix("ranges_") }.count == 21)
        #expect(filter.chain("ranges_1024")?.rules.isEmpty == true)
        #expect(filter.chain("ranges_110")?.rules.isEmpty == true)
        #expect(filter.chain("mac_1019")?.rules.count == 1014)
        #expect(filter.chain("mac_109")?.rules.count == 521)
        #expect(filter.chain("mac_97")?.rules.count == 486)
        #expect(filter.chain("mac_1023")?.rules.count == 397)
        #expect(filter.chain("INPUT")?.rules.count == 10)
        #expect(filter.chain("FORWARD")?.rules.count == 99)
        #expect(filter.chain("OUTPUT")?.rules.count == 1)
        let raw = try #require(try FirewallCorpus.ruleset("large-tum-net-2015-09-03.iptables-save").table("raw"))
        #expect(raw.chain("PREROUTING")?.rules.count == 24)
    }

    @Test func ffulmV6BareDportLoadsTheProtocolModule() throws {
        let ruleset = try FirewallCorpus.ruleset("ffulm-server-config.rules.v6")
        let implicit = ruleset.allRules.filter { rule in
            !rule.text.contains("-m tcp") && !rule.text.contains("-m udp") && rule.matches.contains { if case .transport = $0 { true } else { false } }
        }
        #expect(implicit.map(\.line) == [29, 30, 33])
        #expect(implicit.compactMap { rule in
            rule.matches.lazy.compactMap { if case .transport(let t) = $0 { t.destinationPort?.range.lowerBound } else { nil } }.first
        } == [UInt16(53), 53, 16962])
    }

    @Test(arguments: answerKey.map(\.file))
    func everyRuleKeepsItsLineAndText(_ file: String) throws {
        let source = try FirewallCorpus.iptablesFile(file)
        let lines = source.text.split(separator: "\n", omittingEmptySubsequences: false)
        let ruleset = try RulesetParser.parse(source.text, file: source.path)
        for rule in ruleset.allRules {
            #expect(String(lines[rule.line - 1]) == rule.text)
            #expect(rule.text.hasPrefix("-A \(rule.chain) "))
        }
    }
}
