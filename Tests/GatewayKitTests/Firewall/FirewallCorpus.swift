import Foundation
@testable import GatewayKit
@testable import FirewallKit

/// Finds shared/corpus beside the repository (CI clones it there) or via GWSETUP_CORPUS; a missing corpus fails the test.
enum FirewallCorpus {
    struct Missing: Error, CustomStringConvertible {
        var description: String { "corpus not found: set GWSETUP_CORPUS or put shared/corpus beside the repository" }
    }

    static func directory(from filePath: String = #filePath) throws -> URL {
        if let override = ProcessInfo.processInfo.environment["GWSETUP_CORPUS"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        var directory = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("shared/corpus")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("iptables").path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw Missing()
    }

    static func iptablesFile(_ name: String) throws -> (text: String, path: String) {
        let url = try directory().appendingPathComponent("iptables").appendingPathComponent(name)
        return (try String(contentsOf: url, encoding: .utf8), url.path)
    }

    static func ruleset(_ name: String) throws -> Ruleset {
        let file = try iptablesFile(name)
        return try RulesetParser.parse(file.text, file: file.path)
    }

    static func allIptablesFiles() throws -> [String] {
        let folder = try directory().appendingPathComponent("iptables")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }
}
