import Foundation
import Testing
@testable import GatewayKit
@testable import FirewallKit
import TestSupport

/// Real communities' rulesets through `verify --rules`: never a crash, and every verdict points at a real line.
@Suite struct VerifyCorpusTests {
    @Test(arguments: try FirewallCorpus.allIptablesFiles())
    func verifyGivesAVerdictPerIntentCitingRealLines(_ name: String) throws {
        let file = try FirewallCorpus.iptablesFile(name)
        let family = try RulesetParser.parse(file.text, file: file.path).family
        let site = TestPaths.example("single-gateway.yaml")
        let result = try runGwsetup(["verify", "--site", site, family == .ipv4 ? "--rules" : "--rules6", file.path, "--json"])
        #expect(result.status == 2, "not gwsetup's rules, so at least drift: \(result.error)")
        #expect(result.error.isEmpty)
        let report = try VerifyJSON.decode(result.output)
        let pipeline = try examplePipeline("single-gateway.yaml")
        let expected = FirewallIntents.derive(site: pipeline.site, gateway: try pipeline.singleGateway(named: nil)).filter { $0.packet.family == family }
        #expect(report.intents.map(\.name) == expected.map(\.name))
        #expect(report.summary.holds + report.summary.fails + report.summary.depends == expected.count)
        let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false)
        for intent in report.intents {
            #expect(!intent.rules.isEmpty || intent.note != nil, "\(intent.name) has neither rules nor a note")
            for rule in intent.rules {
                #expect(rule.file == file.path)
                guard let line = rule.line else { continue }
                #expect(lines.indices.contains(line - 1) && lines[line - 1].hasSuffix(rule.text), "\(name):\(line) is not '\(rule.text)'")
            }
        }
        #expect(report.drift.contains { $0.kind == "unexpected" && $0.file == file.path })

        let text = try runGwsetup(["verify", "--site", site, family == .ipv4 ? "--rules" : "--rules6", file.path])
        #expect(text.status == 2)
        let verdictLines = text.output.split(separator: "\n").filter { $0.hasPrefix("holds ") || $0.hasPrefix("FAILS ") || $0.hasPrefix("depends ") }
        #expect(verdictLines.count == expected.count, "one line per intent")
        #expect(text.output.contains("\(family == .ipv4 ? "IPv6" : "IPv4") not checked: no \(family == .ipv4 ? "IPv6" : "IPv4") rules given"))
    }

    @Test func anUndecidableMatchMakesTheIntentDependOnItsLine() throws {
        // large-tum-net rate-limits every new packet with -m recent, which no packet description can decide.
        let file = try FirewallCorpus.iptablesFile("large-tum-net-2015-09-03.iptables-save")
        let result = try runGwsetup(["verify", "--site", TestPaths.example("single-gateway.yaml"), "--rules", file.path, "--json"])
        let report = try VerifyJSON.decode(result.output)
        let ssh = try #require(report.intents.first { $0.name == "IPv4 uplink eth0: SSH (tcp/22) from anywhere is accepted" })
        #expect(ssh.status == "depends")
        #expect(ssh.rules.compactMap(\.line).contains(140))
        #expect(ssh.rules.allSatisfy { $0.assumption != nil })
        #expect(ssh.rules.first { $0.line == 140 }?.assumption == "-m recent: not decidable from the packet")
    }
}
