import Foundation
import Testing
import TestSupport

/// The gateway agent links FoundationEssentials, never Foundation: one `import Foundation` in any target the agent is
/// built from carries Foundation and ICU into its static binary (73 MB instead of 24). GatewayKit and the CLI
/// may import Foundation; the agent's targets only as the fallback of `#if canImport(FoundationEssentials)`.
@Suite struct AgentFoundationTests {
    /// Modules that are Foundation beyond FoundationEssentials.
    static let forbidden: Set<String> = ["Foundation", "FoundationInternationalization", "FoundationNetworking", "FoundationXML"]

    /// The agent's executable and every project target it depends on, through the arrows DependencyDirectionTests holds.
    static var agentTargets: Set<String> {
        var found: Set<String> = []
        var pending = ["gwsetup-agent"]
        while let target = pending.popLast() {
            guard found.insert(target).inserted else { continue }
            pending += DependencyDirectionTests.allowed[target] ?? []
        }
        return found
    }

    /// `file:line: import X` for each import of a forbidden module outside the `#else` of `#if canImport(FoundationEssentials)`.
    static func fullFoundationImports(in source: String, file: String) -> [String] {
        var branches: [String] = []  // per open #if: "essentials-else" in the fallback branch, else "other"
        var offences: [String] = []
        for (index, rawLine) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#if ") {
                branches.append(line.replacingOccurrences(of: " ", with: "") == "#ifcanImport(FoundationEssentials)" ? "essentials-if" : "other")
            } else if line.hasPrefix("#else") || line.hasPrefix("#elseif"), let open = branches.last {
                branches[branches.count - 1] = open == "essentials-if" && line == "#else" ? "essentials-else" : "other"
            } else if line.hasPrefix("#endif") {
                _ = branches.popLast()
            } else if let module = importedModule(line), forbidden.contains(module), branches.last != "essentials-else" {
                offences.append("\(file):\(index + 1): \(line)")
            }
        }
        return offences
    }

    /// The top-level module of an import line (`@_exported import Foundation`, `import struct Foundation.Date`), else nil.
    static func importedModule(_ line: String) -> String? {
        var words = line.split(separator: " ").map(String.init)
        while let first = words.first, first.hasPrefix("@") { words.removeFirst() }
        guard words.first == "import", words.count >= 2 else { return nil }
        let path = words.count >= 3 && ["struct", "class", "enum", "protocol", "typealias", "func", "let", "var"].contains(words[1]) ? words[2] : words[1]
        return path.split(separator: ".").first.map(String.init)
    }

    @Test func noTargetOfTheAgentImportsFullFoundation() throws {
        let targets = Self.agentTargets
        #expect(targets.isSuperset(of: ["gwsetup-agent", "AgentKit", "GatewayBase"]))
        var scanned = 0
        var offences: [String] = []
        for target in targets.sorted() {
            let folder = TestPaths.repository + "/Sources/" + target
            let files = try FileManager.default.subpathsOfDirectory(atPath: folder).filter { $0.hasSuffix(".swift") }
            for file in files {
                let path = folder + "/" + file
                offences += Self.fullFoundationImports(in: try String(contentsOfFile: path, encoding: .utf8), file: "Sources/\(target)/\(file)")
                scanned += 1
            }
        }
        #expect(scanned >= 30, "only \(scanned) files of the agent's targets found")
        #expect(offences.isEmpty, "the agent would link Foundation: \(offences.joined(separator: "; "))")
    }

    @Test func theScanFindsAnImportAndAcceptsOnlyTheEssentialsFallback() {
        #expect(Self.fullFoundationImports(in: "import Foundation\n", file: "a").count == 1)
        #expect(Self.fullFoundationImports(in: "@_exported import struct Foundation.Date\n", file: "a").count == 1)
        #expect(Self.fullFoundationImports(in: "#if canImport(Glibc)\nimport Glibc\n#else\nimport FoundationNetworking\n#endif\n", file: "a").count == 1)
        #expect(Self.fullFoundationImports(in: "#if canImport(FoundationEssentials)\nimport Foundation\n#endif\n", file: "a").count == 1)
        #expect(Self.fullFoundationImports(in: "import FoundationEssentials\nimport GatewayBase\n", file: "a").isEmpty)
        #expect(Self.fullFoundationImports(in: "#if canImport(FoundationEssentials)\nimport FoundationEssentials\n#else\nimport Foundation\n#endif\n", file: "a").isEmpty)
    }
}
