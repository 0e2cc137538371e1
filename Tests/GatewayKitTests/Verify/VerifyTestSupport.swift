import Foundation
import Testing
@testable import GatewayKit
@testable import GatewayBase
@testable import FirewallKit
import TestSupport

/// An example site loaded with the bundled templates, as the CLI loads it.
func examplePipeline(_ name: String) throws -> SitePipeline {
    try SitePipeline(sitePath: TestPaths.example(name), bundledTemplates: TestPaths.repository + "/Templates")
}

/// The rules gwsetup renders for an example gateway, as the text apply would write.
func renderedRules(_ example: String, gateway: String, _ family: IPFamily) throws -> String {
    try #require(try desiredState(example: example, gateway: gateway).file(DesiredState.firewallRulesPath(family))).content
}

/// Runs the built gwsetup binary with arguments as an admin types them; stdout and stderr apart.
func runGwsetup(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
    try runCommand([TestPaths.gwsetupBinary] + arguments)
}

/// The `verify --json` shape as a script reads it, decoded strictly so a renamed key fails the test.
struct VerifyJSON: Decodable {
    struct Intent: Decodable {
        var id: String
        var name: String
        var family: String
        var status: String
        var expectation: String
        var rules: [Rule]
        var note: String?
        var nearMiss: NearMiss?

        enum CodingKeys: String, CodingKey {
            case id, name, family, status, expectation, rules, note
            case nearMiss = "near_miss"
        }
    }

    struct NearMiss: Decodable {
        var rule: Rule
        var field: String
        var condition: String
        var packet: String?
    }

    struct Rule: Decodable {
        var file: String
        var line: Int?
        var table: String
        var chain: String
        var text: String
        var assumption: String?
    }

    struct Drift: Decodable {
        var family: String
        var kind: String
        var table: String
        var chain: String
        var text: String
        var file: String?
        var line: Int?
        var renderedFile: String?
        var renderedLine: Int?
        var changesIntents: [String]?

        enum CodingKeys: String, CodingKey {
            case family, kind, table, chain, text, file, line
            case renderedFile = "rendered_file", renderedLine = "rendered_line", changesIntents = "changes_intents"
        }
    }

    struct Sources: Decodable {
        var ipv4: String?
        var ipv6: String?
    }

    struct Summary: Decodable {
        var intents: Int
        var holds: Int
        var fails: Int
        var depends: Int
        var drift: Int
    }

    struct Ignored: Decodable {
        var chains: [String]
        var jumps: [String]
    }

    var gateway: String
    var checked: Sources
    var rendered: Sources
    var intents: [Intent]
    var drift: [Drift]
    var ignored: Ignored
    var summary: Summary
    var passed: Bool

    static func decode(_ text: String) throws -> VerifyJSON { try JSONDecoder().decode(VerifyJSON.self, from: Data(text.utf8)) }

    var failing: Set<String> { Set(intents.filter { $0.status != "holds" }.map(\.name)) }
}

/// A scratch folder for rule dumps and site copies, removed by `cleanup`.
struct ScratchFolder {
    let path: String

    init() throws { path = try Shell.temporaryDirectory() }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}
