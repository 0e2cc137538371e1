import Foundation
import Testing
import GatewayKit
@testable import FirewallKit
@testable import GluonKit
import TestSupport

/// Replays every input that ever crashed or hung a parser under libFuzzer (Tests/fuzz-crashes/<parser>/,
/// filled by Tests/fuzz/run.sh), plus hostile shapes made here, through the same public entry points the
/// fuzzers use: each must end in a value or the parser's own located error. A crash takes the test run down.
@Suite struct FuzzCrashReplayTests {
    /// The parsers, by the folder name that run.sh gives their findings.
    enum Parser: String, CaseIterable, CustomStringConvertible {
        case site, gluon, ruleset, plan, manifest
        var description: String { rawValue }
    }

    @Test(arguments: Parser.allCases)
    func everyRecordedInputEndsInAValueOrTheParsersError(_ parser: Parser) throws {
        let files = try Self.recordedInputs(parser)
        for file in files {
            let data = try Data(contentsOf: file)
            Self.expectCleanOutcome(parser, data, name: file.lastPathComponent)
        }
    }

    @Test(arguments: Parser.allCases)
    func generatedHostileShapesEndInAValueOrTheParsersError(_ parser: Parser) {
        for (name, text) in Self.generated(parser) {
            Self.expectCleanOutcome(parser, Data(text.utf8), name: name)
        }
    }

    /// The fuzzer's first finding: Yams hashes mapping keys, so an alias key walks its whole expansion (10^10 nodes here).
    @Test func anAliasInsideAKeyIsRefusedAtTheAliasBeforeYamsExpandsIt() {
        let bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + (1...9).map { "a\($0): &a\($0) [" + Array(repeating: "*a\($0 - 1)", count: 10).joined(separator: ", ") + "]\n" }.joined()
        #expect(throws: SiteErrors.self) { try SiteLoader.load(yaml: bomb + "? *a9\n: x\n", file: "bomb.yaml") }
        do {
            _ = try SiteLoader.load(yaml: bomb + "b: [x, {[1, *a9]: y}]\n", file: "bomb.yaml")
            Issue.record("a key with an alias inside was accepted")
        } catch {
            #expect(String(describing: error) == "bomb.yaml:11:13: YAML: a key cannot use an alias (*name)")
        }
    }

    /// The folder must exist and hold inputs; an empty replay would pass while checking nothing.
    static func recordedInputs(_ parser: Parser) throws -> [URL] {
        let directory = URL(fileURLWithPath: TestPaths.repository).appendingPathComponent("Tests/fuzz-crashes/\(parser)", isDirectory: true)
        let names = try #require(try? FileManager.default.contentsOfDirectory(atPath: directory.path),
                                 "\(directory.path) is missing: the crash corpus of the \(parser) parser must be in the repository")
        let files = names.filter { !$0.hasPrefix(".") }.sorted().map { directory.appendingPathComponent($0) }
        try #require(!files.isEmpty, "\(directory.path) is empty: the replay would check nothing")
        return files
    }

    /// Feeds one input the way the fuzzer for `parser` does (bytes that are not UTF-8 are refused as the
    /// file loaders refuse them) and checks that an error, if any, is the parser's own.
    static func expectCleanOutcome(_ parser: Parser, _ data: Data, name: String) {
        let text = String(data: data, encoding: .utf8)
        do {
            switch parser {
            case .site:
                guard let text else { return }
                _ = try SiteLoader.load(yaml: text, file: name)
            case .gluon:
                guard let text else { return }
                let document = try LuaTableParser.parse(text, file: name)
                _ = try? GluonSiteLoader.assemble(site: document, domains: [(code: "dom0", document: document)])
                _ = try GluonSiteLoader.assemble(site: document, domains: [])
            case .ruleset:
                guard let text else { return }
                let ruleset = try RulesetParser.parse(text, file: name)
                _ = RulesetPrinter.print(ruleset.normalized)
            case .plan:
                _ = try PlanCoding.encode(try PlanCoding.decode(data, source: name))
            case .manifest:
                // The reader never throws: whatever survives must be a name gwsetup writes.
                guard let text else { return }
                let (manifest, _) = OwnershipManifest.parse(text, policy: .gateway, systemAccounts: [:], gateway: "gw1")
                let policy = OwnershipPolicy.gateway
                #expect(manifest.files.allSatisfy { policy.ownsFile($0.path) } && manifest.units.allSatisfy(policy.ownsUnit)
                        && manifest.users.allSatisfy { policy.ownsUser($0, systemAccounts: [:]) } && manifest.fastdSecrets.allSatisfy(policy.ownsFastdSecret),
                        "manifest \(name): kept a name gwsetup does not write")
            }
        } catch {
            let expected: Bool = switch parser {
            case .site: error is SiteErrors
            case .gluon: error is GluonParseError || error is GluonSiteError
            case .ruleset: error is RulesetParseError
            case .plan: error is PlanFileError
            case .manifest: false
            }
            #expect(expected, "\(parser) \(name): threw \(type(of: error)), not the parser's error: \(String(describing: error).prefix(200))")
        }
    }

    /// Shapes too large to keep as files: a 1 MB line, nesting far past any stack, and NUL and other
    /// control characters in each place a value can stand.
    static func generated(_ parser: Parser) -> [(String, String)] {
        let megabyte = String(repeating: "A", count: 1 << 20)
        let deep = 100_000
        switch parser {
        case .site:
            return [
                ("1mb-value", "site:\n  name: \(megabyte)\n"),
                ("1mb-line-no-newline", megabyte),
                ("flow-nesting-100k", "site: " + String(repeating: "[", count: deep)),
                ("flow-nesting-100k-closed", "site: " + String(repeating: "[", count: deep) + String(repeating: "]", count: deep) + "\n"),
                ("mapping-nesting-100k", String(repeating: "{a: ", count: deep) + String(repeating: "}", count: deep) + "\n"),
                ("nul-in-name", "site:\n  name: a\u{0}b\n  code: x\u{0}\n"),
            ]
        case .gluon:
            return [
                ("1mb-string", "{ site_code = '\(megabyte)' }"),
                ("1mb-line-no-newline", megabyte),
                ("table-nesting-100k", String(repeating: "{", count: deep) + String(repeating: "}", count: deep)),
                ("unclosed-nesting-100k", String(repeating: "{ a = ", count: deep)),
                ("nul-in-string", "{ site_code = 'a\u{0}b', site_name = \"\\0\" }"),
            ]
        case .ruleset:
            return [
                ("1mb-rule", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m comment --comment \"\(megabyte)\" -j ACCEPT\nCOMMIT\n"),
                ("1mb-line-no-newline", megabyte),
                ("100k-empty-lines", String(repeating: "\n", count: deep)),
                ("nul-in-rule", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -i e\u{0}th0 -j ACCEPT\nCOMMIT\n"),
            ]
        case .plan:
            return [
                ("1mb-string", "{\"version\": 1, \"plans\": [\"\(megabyte)\"]}"),
                ("1mb-line-no-newline", megabyte),
                ("array-nesting-100k", "{\"version\": 1, \"plans\": " + String(repeating: "[", count: deep) + String(repeating: "]", count: deep) + "}"),
                ("object-nesting-100k", String(repeating: "{\"a\":", count: deep) + "1" + String(repeating: "}", count: deep)),
                ("nul-in-json", "{\"version\": 1, \"plans\": [\u{0}]}"),
            ]
        case .manifest:
            return [
                ("1mb-string", "{\"version\": 1, \"users\": [\"\(megabyte)\"]}"),
                ("1mb-line-no-newline", megabyte),
                ("array-nesting-100k", "{\"version\": 1, \"users\": " + String(repeating: "[", count: deep) + String(repeating: "]", count: deep) + "}"),
                ("object-nesting-100k", String(repeating: "{\"a\":", count: deep) + "1" + String(repeating: "}", count: deep)),
                ("nul-in-json", "{\"version\": 1, \"users\": [\u{0}]}"),
            ]
        }
    }
}
