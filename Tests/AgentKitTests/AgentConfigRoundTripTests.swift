import Foundation
import Testing
@testable import AgentKit
@testable import GatewayKit
import TestSupport

/// What apply renders into /etc/gwsetup/agent.json is what the agent reads: GatewayKit encodes the agent's own type,
/// and this decodes the rendered file with the agent's loader and validation.
@Suite struct AgentConfigRoundTripTests {
    @Test func theRenderedConfigLoadsInTheAgent() throws {
        let text = try String(contentsOfFile: TestPaths.example("two-domains.yaml"), encoding: .utf8).replacingOccurrences(
            of: "services:\n", with: "services:\n  uplink_check: {targets: [192.0.2.1, \"http://[2001:db8::80]:8080/x\"], interval: 4}\n")
        let site = try SiteLoader.load(yaml: text, file: "site.yaml").site
        let renderer = TemplateRenderer(store: TemplateStore(bundledDirectory: TestPaths.repository + "/Templates"))
        let desired = try DesiredStateBuilder(site: site, renderer: renderer).build(for: try #require(site.gateway("gw1")))
        let file = try #require(desired.file(DesiredState.agentConfigPath))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("agent-\(UUID().uuidString).json").path
        try file.content.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let config = try AgentConfig.load(path: path)
        let uplink = try #require(config.uplink)
        #expect(uplink.targets == [.init(kind: .icmp, address: "192.0.2.1"), .init(kind: .http, address: "2001:db8::80", port: 8080, path: "/x")])
        #expect(uplink.interval == 4 && uplink.failAfter == 3 && uplink.recoverAfter == 3 && uplink.timeout == 2)
        #expect(uplink.drain.batman.map(\.interface) == desired.meshLinks.map(\.batman))
        #expect(uplink.drain.marker == LiveNetwork.drainedMarker && uplink.drain.maintenanceMarker == DesiredState.maintenanceMarker)
        #expect(AgentConfig.defaultStatePath == DesiredState.agentStatePath && AgentConfig.defaultPath == DesiredState.agentConfigPath)
    }
}
