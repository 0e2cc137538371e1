import Foundation
import Testing
@testable import AgentKit

/// The agent's config is hostile input like any file: a bad value stops the agent with one line naming the field.
@Suite struct AgentConfigTests {
    static let valid = """
        {"uplink": {"targets": [{"kind": "icmp", "address": "192.0.2.1"}, {"kind": "http", "address": "2001:db8::1", "port": 8080}],
          "interval": 10, "fail_after": 3, "recover_after": 3, "timeout": 2, "interface": "eth0",
          "drain": {"batman": [{"interface": "bat-ffx", "bandwidth": "100mbit/100mbit"}], "dhcp_unit": "dnsmasq.service",
                    "radvd_unit": "radvd.service", "radvd_drain_unit": "gwsetup-radvd-drain.service",
                    "marker": "/run/gwsetup/drained", "maintenance_marker": "/var/lib/gwsetup/maintenance"}}}
        """

    func load(_ text: String) throws -> AgentConfig {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("agent-\(UUID().uuidString).json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try AgentConfig.load(path: path)
    }

    @Test func validConfigDecodes() throws {
        let config = try load(Self.valid)
        #expect(config.uplink?.targets.count == 2)
        #expect(config.uplink?.failAfter == 3)
        #expect(config.uplink?.drain.batman.first?.interface == "bat-ffx")
    }

    @Test func emptyConfigRunsNothing() throws {
        #expect(try load("{}").uplink == nil)
    }

    @Test(arguments: [
        ("\"192.0.2.1\"", "\"not-an-ip\"", "uplink.targets.0.address"),
        ("\"interval\": 10", "\"interval\": 0", "uplink.interval"),
        ("\"bat-ffx\"", "\"bat ffx; reboot\"", "uplink.drain.batman"),
        ("\"dnsmasq.service\"", "\"dnsmasq\"", "uplink.drain.unit"),
        ("\"fail_after\": 3", "\"fail_after\": \"3\"", "uplink.fail_after: wrong type"),
    ])
    func badValueNamesTheField(original: String, replacement: String, expected: String) throws {
        let error = try #require(throws: AgentConfigError.self) { try load(Self.valid.replacingOccurrences(of: original, with: replacement)) }
        #expect(error.description.contains(expected), "\(error)")
    }
}
