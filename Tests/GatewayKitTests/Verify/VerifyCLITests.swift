import Foundation
import Testing
@testable import GatewayKit
import TestSupport

/// verify's contract at the command line: one-line errors with exit 1, and JSON a script can rely on.
@Suite struct VerifyCLITests {
    let site = TestPaths.example("single-gateway.yaml")

    @Test func anUnparsableDumpIsOneLineWithFileAndLineAndExit1() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let text = try renderedRules("single-gateway.yaml", gateway: "gw1", .ipv4)
            .replacingOccurrences(of: "-A INPUT -i lo -j ACCEPT", with: "-A INPUT -i lo -j")
        let path = try folder.write("broken.v4", text)
        let result = try runGwsetup(["verify", "--site", site, "--rules", path])
        #expect(result.status == 1)
        #expect(result.output.isEmpty)
        let lines = result.error.split(separator: "\n")
        #expect(lines.count == 1, "\(result.error)")
        #expect(lines.first?.hasPrefix("error: \(path):9:") == true, "\(result.error)")
    }

    @Test func anIPv6DumpGivenAsRulesIsRefused() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let path = try folder.write("rules.v6", try renderedRules("single-gateway.yaml", gateway: "gw1", .ipv6))
        let result = try runGwsetup(["verify", "--site", site, "--rules", path])
        #expect(result.status == 1)
        #expect(result.error == "error: \(path): this is an IPv6 ruleset; pass it with --rules6\n")
    }

    @Test func aMissingDumpAndAnUnknownGatewayAreErrors() throws {
        let missing = try runGwsetup(["verify", "--site", site, "--rules", "/nonexistent/rules.v4"])
        #expect(missing.status == 1)
        #expect(missing.error.hasPrefix("error: /nonexistent/rules.v4: cannot read the file"))
        #expect(missing.error.split(separator: "\n").count == 1)
        let unknown = try runGwsetup(["verify", "--site", TestPaths.example("two-domains.yaml"), "--gateway", "gw3", "--rules", "/dev/null"])
        #expect(unknown.status == 1)
        #expect(unknown.error.contains("no gateway 'gw3'"))
    }

    @Test func anUnreachableGatewayIsOneLineAndExit1() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let path = try folder.write("site.yaml", try String(contentsOfFile: site, encoding: .utf8)
            .replacingOccurrences(of: "ssh: root@gw1.ffx.example", with: "ssh: root@gw1.invalid"))
        let result = try runGwsetup(["verify", "--site", path])
        #expect(result.status == 1)
        #expect(result.error.split(separator: "\n").count == 1, "\(result.error)")
        #expect(result.error.contains("gw1.invalid"))
    }

    @Test func jsonIsStableAcrossRunsAndKeepsItsKeys() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let v4 = try folder.write("rules.v4", try renderedRules("single-gateway.yaml", gateway: "gw1", .ipv4)
            .replacingOccurrences(of: ":INPUT DROP", with: ":INPUT ACCEPT"))
        let first = try runGwsetup(["verify", "--site", site, "--rules", v4, "--json"])
        let second = try runGwsetup(["verify", "--site", site, "--rules", v4, "--json"])
        #expect(first.status == 2)
        #expect(first.output == second.output)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(first.output.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["version", "gateway", "checked", "rendered", "intents", "drift", "ignored", "summary", "passed"])
        let report = try VerifyJSON.decode(first.output)
        #expect(report.checked.ipv6 == nil && report.rendered.ipv4 == "/etc/gwsetup/firewall/rules.v4 (rendered)")
        #expect(report.drift.map(\.kind) == ["policy"])
        #expect(report.drift.first?.text == "policy ACCEPT (rendered: DROP)")
        let closed = try #require(report.intents.first { $0.name == "IPv4 uplink eth0: NTP is closed (no NTP amplifier)" })
        #expect(closed.status == "fails" && closed.expectation == "blocked")
        #expect(closed.rules.last.map { "\($0.table) \($0.chain) \($0.text)" } == "filter INPUT policy ACCEPT")
        #expect(closed.rules.last?.line == nil)
    }
}
