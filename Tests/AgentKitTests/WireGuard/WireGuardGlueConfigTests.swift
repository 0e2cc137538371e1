import Foundation
import Testing
@testable import AgentKit

/// The wireguard section keeps the JSON shape apply renders, and refuses values no round could run with, naming the field.
@Suite struct WireGuardGlueConfigTests {
    static let valid = """
        {"wireguard": {"links": [{"wireguard": "wg-ffx", "vxlan": "vx-ffx", "pruneAfter": 300},
                                 {"wireguard": "wg-ffy", "vxlan": "vx-ffy", "pruneAfter": 600}], "interval": 5}}
        """

    func load(_ text: String) throws -> AgentConfig {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("agent-\(UUID().uuidString).json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try AgentConfig.load(path: path)
    }

    @Test func validSectionDecodes() throws {
        let config = try load(Self.valid)
        #expect(config.wireguard == WireGuardGlueConfig(links: [.init(wireguard: "wg-ffx", vxlan: "vx-ffx", pruneAfter: 300),
                                                              .init(wireguard: "wg-ffy", vxlan: "vx-ffy", pruneAfter: 600)], interval: 5))
    }

    @Test(arguments: [
        ("\"interval\": 5", "\"interval\": 0", "wireguard.interval: out of range 1...300"),
        ("\"interval\": 5", "\"interval\": 301", "wireguard.interval: out of range 1...300"),
        ("\"pruneAfter\": 600", "\"pruneAfter\": 29", "wireguard.links.1.pruneAfter: out of range 30...604800"),
        ("\"pruneAfter\": 300", "\"pruneAfter\": 604801", "wireguard.links.0.pruneAfter: out of range"),
        ("\"wg-ffx\"", "\"wg-ffx; reboot\"", "wireguard.links.0.wireguard: not an interface name"),
        ("\"vx-ffy\"", "\"vx-abcdefghijklm\"", "wireguard.links.1.vxlan: not an interface name"),
        ("\"vx-ffy\"", "\"..\"", "wireguard.links.1.vxlan: not an interface name"),
        ("\"vx-ffy\"", "\"\"", "wireguard.links.1.vxlan: not an interface name"),
        ("\"vx-ffy\"", "\"vx/ffy\"", "wireguard.links.1.vxlan: not an interface name"),
        ("\"vx-ffy\"", "\"wg-ffx\"", "wireguard.links.1.vxlan: wg-ffx appears twice"),
        ("\"pruneAfter\": 300", "\"prune_after\": 300", "wireguard.links.0.pruneAfter: missing"),
    ])
    func badValueNamesTheField(original: String, replacement: String, expected: String) throws {
        let error = try #require(throws: AgentConfigError.self) { try load(Self.valid.replacingOccurrences(of: original, with: replacement)) }
        #expect(error.description.contains(expected), "\(error)")
    }

    @Test func noLinksIsRefused() throws {
        let error = try #require(throws: AgentConfigError.self) { try load(#"{"wireguard": {"links": [], "interval": 5}}"#) }
        #expect(error.description.contains("wireguard.links: empty"))
    }

    @Test func fifteenBytesIsTheLongestName() {
        #expect(WireGuardGlueConfig.isInterfaceName("wg-abcdefghijkl"))
        #expect(!WireGuardGlueConfig.isInterfaceName("wg-abcdefghijklm"))
        #expect(!WireGuardGlueConfig.isInterfaceName("wg-ä"))
    }
}
