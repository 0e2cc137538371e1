import Foundation
import Testing
@testable import GatewayKit

/// Runs a command with text on stdin; real iptables is the judge of whether printed rules are valid.
private func run(_ arguments: [String], input: String = "") throws -> (status: Int32, output: String, error: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    let writer = Thread {
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
    }
    writer.start()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    let error = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
}

/// A network namespace that exists for one test, so loading rules never touches the host's firewall.
private struct ThrowawayNamespace: ~Copyable {
    let name = "gwtest-\(UInt32.random(in: 10000...99999))"

    init() throws {
        let created = try run(["ip", "netns", "add", name])
        guard created.status == 0 else { throw NamespaceError(message: "ip netns add failed: \(created.error)") }
    }

    func exec(_ arguments: [String], input: String = "") throws -> (status: Int32, output: String, error: String) {
        try run(["ip", "netns", "exec", name] + arguments, input: input)
    }

    deinit { _ = try? run(["ip", "netns", "delete", name]) }
}

private struct NamespaceError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

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
