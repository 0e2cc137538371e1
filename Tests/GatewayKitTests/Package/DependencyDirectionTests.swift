import Foundation
import Testing
@testable import GatewayKit
import TestSupport

/// The targets' arrows run one way (gwsetup → GatewayKit → FirewallKit and GluonKit → GatewayBase), as the
/// README's listing shows; a dependency against that direction would let a lower part grow into the pipeline.
@Suite struct DependencyDirectionTests {
    /// Every project target and the project targets it may depend on; anything else is an arrow running back.
    static let allowed: [String: Set<String>] = [
        "GatewayBase": [],
        "FirewallKit": ["GatewayBase"],
        "GluonKit": ["GatewayBase"],
        "CSystemd": [],
        "CZlib": [],
        "AgentKit": ["GatewayBase", "CSystemd", "CZlib"],
        "GatewayKit": ["GatewayBase", "FirewallKit", "GluonKit", "AgentKit", "CSystemd"],
        "gwsetup": ["GatewayKit", "GatewayBase", "FirewallKit", "GluonKit"],
        "gwbench": ["GatewayKit", "GatewayBase", "FirewallKit", "GluonKit"],
        "TestSupport": [],
        "gwsetup-agent": ["AgentKit"],
    ]

    /// `swift package describe --type json`, cut to the target names and their dependencies on project targets.
    struct Description: Decodable {
        struct Target: Decodable {
            let name: String
            let type: String
            let target_dependencies: [String]?
        }
        let targets: [Target]
    }

    @Test func noTargetDependsAgainstTheDirection() throws {
        // A scratch folder of its own: the running `swift test` holds the lock on the repository's .build.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gwsetup-describe-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let described = try runCommand(["swift", "package", "--package-path", TestPaths.repository, "--scratch-path", scratch,
                                        "describe", "--type", "json"])
        try #require(described.status == 0, "swift package describe failed: \(described.error)")
        let start = try #require(described.output.firstIndex(of: "{"), "no JSON in: \(described.output)")
        let targets = try JSONDecoder().decode(Description.self, from: Data(described.output[start...].utf8)).targets
        for target in targets where target.type != "test" {
            let allowed = try #require(Self.allowed[target.name], "target \(target.name) is not in the README's listing; place it in the direction")
            let backwards = Set(target.target_dependencies ?? []).subtracting(allowed)
            #expect(backwards.isEmpty, "\(target.name) depends on \(backwards.sorted().joined(separator: ", ")), against gwsetup → GatewayKit → FirewallKit/GluonKit → GatewayBase")
        }
        #expect(Set(targets.map(\.name)).isSuperset(of: Self.allowed.keys))
    }
}
