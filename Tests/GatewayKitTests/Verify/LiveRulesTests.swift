import Foundation
import Logging
import Testing
@testable import GatewayKit
@testable import FirewallKit

@Suite struct LiveRulesTests {
    /// The probe's records of two dumps, as a gateway's probe prints them.
    static func probeOutput(_ records: [String]) -> String {
        ([ProbeScript.header] + records + [ProbeScript.trailer]).joined(separator: "\n") + "\n"
    }

    @Test func theProbedDumpsSplitIntoOneRulesetPerFamilyWithTheirOwnLineNumbers() throws {
        let output = Self.probeOutput([
            "R4", "r4\t#", "r4\t*filter", "r4\t:INPUT DROP [0:0]", "r4\t-A INPUT -i lo -j ACCEPT", "r4\tCOMMIT",
            "R6", "r6\t*filter", "r6\t:INPUT DROP [0:0]", "r6\t-A INPUT -p ipv6-icmp -j ACCEPT", "r6\tCOMMIT",
        ])
        let facts = try ProbeOutputParser.parse(output, request: .rulesOnly, gateway: "ssh root@gw1")
        let rulesets = try LiveRules.rulesets(facts, host: "ssh root@gw1")
        #expect(rulesets.map(\.family) == [.ipv4, .ipv6])
        #expect(rulesets.map(\.source) == ["iptables-save on ssh root@gw1", "ip6tables-save on ssh root@gw1"])
        #expect(rulesets[0].ruleset.allRules.map(\.line) == [4])
        #expect(rulesets[1].ruleset.allRules.map(\.line) == [3])
    }

    @Test func aDumpCutShortIsAnErrorNamingTheHost() throws {
        let facts = try ProbeOutputParser.parse(Self.probeOutput(["R4", "r4\t*filter", "r4\tCOMMIT"]), request: .rulesOnly, gateway: "ssh root@gw1")
        #expect { try LiveRules.rulesets(facts, host: "ssh root@gw1") } throws: { error in
            "\(error)" == "ssh root@gw1: the rules dump is incomplete (got iptables-save)"
        }
    }

    @Test func theProbeRunsOverARealShellInANamespace() throws {
        // The probe script itself, run by /bin/sh in a namespace with known rules, parses back to those rules.
        let namespace = try ThrowawayNamespace()
        #expect(try namespace.exec(["iptables", "-A", "INPUT", "-p", "udp", "--dport", "53", "-j", "ACCEPT"]).status == 0)
        let result = try namespace.exec(["/bin/sh", "-c", ProbeScript.make(for: .rulesOnly)])
        #expect(result.status == 0, "\(result.error)")
        let rulesets = try LiveRules.rulesets(try ProbeOutputParser.parse(result.output, request: .rulesOnly, gateway: "local"), host: "local")
        #expect(rulesets[0].ruleset.allRules.map(RulesetPrinter.line) == ["-A INPUT -p udp -m udp --dport 53 -j ACCEPT"])
        #expect(rulesets[1].ruleset.allRules.isEmpty)
    }

    @Test func overRealSSHTheDumpIsTheKernelsOwn() async throws {
        // Read-only on this machine's own firewall: what arrives over OpenSSH must be exactly what iptables-save prints here.
        try await SSHServer.with { server in
            let transport = try server.transport()
            try await transport.connect()
            let rulesets = try await LiveRules.read(over: transport, logger: Logger(label: "test"))
            try await transport.close()
            #expect(rulesets.map(\.source) == ["iptables-save on ssh gwtest", "ip6tables-save on ssh gwtest"])
            for (ruleset, tool) in zip(rulesets, ["iptables-save", "ip6tables-save"]) {
                let local = try RulesetParser.parse(try runCommand([tool]).output, file: tool, family: ruleset.family)
                #expect(ruleset.ruleset.normalized == local.normalized, "\(tool) over ssh differs from the local dump")
            }
        }
    }
}
