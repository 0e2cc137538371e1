import Testing
@testable import GatewayKit
@testable import GatewayBase
@testable import FirewallKit

/// Damaged input must end in a located error or a ruleset, never a crash: live dumps and hand edits are both inputs.
@Suite struct RulesetParserRobustnessTests {
    @Test(arguments: ["ffgc-sargon-gateway.iptables-save", "large-medium-sized-company.iptables-save", "ffulm-server-config.rules.v6"])
    func everyRuleWithOneWordMissingOrCutShortFailsCleanly(_ file: String) throws {
        let source = try FirewallCorpus.iptablesFile(file)
        let lines = source.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var errors = 0
        var parsed = 0
        // Each damaged rule is parsed inside just its table's header, so the test stays fast in debug builds.
        var header: [String] = []
        for line in lines {
            if line.hasPrefix("*") { header = [line] }
            if line.hasPrefix(":") { header.append(line) }
            guard line.hasPrefix("-A") else { continue }
            let words = line.split(separator: " ").map(String.init)
            var variants = (0..<words.count).map { dropped in words.enumerated().filter { $0.offset != dropped }.map(\.element).joined(separator: " ") }
            variants += stride(from: 1, to: line.count, by: 7).map { String(line.prefix($0)) }
            for variant in variants {
                do {
                    _ = try RulesetParser.parse((header + [variant, "COMMIT"]).joined(separator: "\n"), file: "damaged", family: .init(file))
                    parsed += 1
                } catch {
                    errors += 1
                    #expect(error.file == "damaged")
                    #expect(error.line == header.count + 1, "\(variant): \(error)")
                    #expect(error.column >= 1 && error.column <= variant.count + 1, "\(variant): \(error)")
                }
            }
        }
        #expect(errors > 0 && parsed > 0)
    }
}

private extension IPFamily {
    init(_ file: String) { self = file.hasSuffix(".v6") ? .ipv6 : .ipv4 }
}
