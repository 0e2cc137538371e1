import Foundation
import Testing
@testable import GatewayKit
import TestSupport

/// `services.uplink_check` brings the gateway agent: its program, config, unit, and the radvd drain variant; without it
/// nothing of the agent appears. The rendered files pass the daemons' own checks.
@Suite struct AgentDesiredStateTests {
    static let uplinkCheck = """
          uplink_check:
            targets: [192.0.2.1, "2001:db8::1", "http://198.51.100.7:8080/health", "http://[2001:db8::80]/"]
            interval: 5
            fail_after: 2
            recover_after: 4

        """

    /// The example site with `uplink_check` added under `services:`.
    static func site(_ example: String = "two-domains.yaml", uplink: String = uplinkCheck) throws -> Site {
        let text = try String(contentsOfFile: TestPaths.example(example), encoding: .utf8)
        let withCheck = text.replacingOccurrences(of: "services:\n", with: "services:\n" + uplink)
        return try SiteLoader.load(yaml: withCheck, file: "site.yaml").site
    }

    static func desired(_ site: Site, _ gateway: String) throws -> DesiredState {
        let renderer = TemplateRenderer(store: TemplateStore(bundledDirectory: TestPaths.repository + "/Templates"))
        return try DesiredStateBuilder(site: site, renderer: renderer).build(for: try #require(site.gateway(gateway)))
    }

    @Test func withoutAFeatureNoAgentAndRadvdAsBefore() throws {
        let desired = try desiredState(example: "two-domains.yaml", gateway: "gw2")
        #expect(desired.binaries.isEmpty)
        #expect(!desired.units.map(\.name).contains(DesiredState.agentUnit))
        #expect(desired.files.allSatisfy { !DesiredState.agentFiles.contains($0.path) })
        let radvd = try #require(desired.file("/etc/radvd.conf")).content
        #expect(!radvd.contains("AdvDefaultPreference"))
        #expect(radvd.contains("AdvDefaultLifetime 0;"), "only the chosen router announces a default route")
    }

    @Test func uplinkCheckInstallsTheAgentAndItsConfig() throws {
        let desired = try Self.desired(try Self.site(), "gw1")
        #expect(desired.binaries.map(\.path) == [DesiredState.agentBinaryPath])
        #expect(desired.binaries.first?.mode == 0o755 && desired.binaries.first?.triggers == [.restart(DesiredState.agentUnit)])
        #expect(desired.units.last?.name == DesiredState.agentUnit)
        let config = try #require(desired.file(DesiredState.agentConfigPath)).content
        let json = try #require(try JSONSerialization.jsonObject(with: Data(config.utf8)) as? [String: Any])
        let uplink = try #require(json["uplink"] as? [String: Any])
        #expect(uplink["interval"] as? Int == 5 && uplink["fail_after"] as? Int == 2 && uplink["recover_after"] as? Int == 4 && uplink["timeout"] as? Int == 2)
        #expect(uplink["interface"] as? String == "ens3")
        let targets = try #require(uplink["targets"] as? [[String: Any]])
        #expect(targets.map { $0["kind"] as? String } == ["icmp", "icmp", "http", "http"])
        #expect(targets[2]["port"] as? Int == 8080 && targets[2]["path"] as? String == "/health" && targets[3]["port"] as? Int == 80)
        let drain = try #require(uplink["drain"] as? [String: Any])
        let batman = try #require(drain["batman"] as? [[String: String]])
        #expect(batman.map { $0["interface"] } == desired.meshLinks.map(\.batman))
        #expect(drain["dhcp_unit"] as? String == "dnsmasq.service" && drain["radvd_drain_unit"] as? String == DesiredState.radvdDrainUnit)
        #expect(drain["marker"] as? String == LiveNetwork.drainedMarker && drain["maintenance_marker"] as? String == DesiredState.maintenanceMarker)
    }

    /// RFC 4191: gw1 is the domain's chosen router (high), gw2 announces too with low; the drain variant says lifetime 0.
    @Test func everyGatewayAnnouncesWithAPreferenceAndTheDrainVariantWithLifetimeZero() throws {
        let site = try Self.site()
        for (gateway, preference) in [("gw1", "high"), ("gw2", "low")] {
            let desired = try Self.desired(site, gateway)
            let normal = try #require(desired.file("/etc/radvd.conf")).content
            let drain = try #require(desired.file(DesiredState.radvdDrainConfigPath)).content
            #expect(normal.contains("AdvDefaultLifetime 600;") && !normal.contains("AdvDefaultLifetime 0;"), "\(gateway)")
            #expect(normal.contains("AdvDefaultPreference \(preference);"), "\(gateway)")
            #expect(drain.contains("AdvDefaultLifetime 0;") && !drain.contains("AdvDefaultLifetime 600;"), "\(gateway)")
            #expect(drain.replacingOccurrences(of: "AdvDefaultLifetime 0;", with: "AdvDefaultLifetime 600;") == normal, "the variants differ only in the lifetime")
        }
    }

    @Test func bothRadvdVariantsPassRadvdsOwnCheck() throws {
        let desired = try Self.desired(try Self.site(), "gw2")
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        for path in ["/etc/radvd.conf", DesiredState.radvdDrainConfigPath] {
            let file = try #require(desired.file(path))
            try folder.write("radvd.conf", file.content)
            let checked = try runCommand(["radvd", "--configtest", "--config=\(folder.path)/radvd.conf"])
            #expect(checked.status == 0, "\(path): \(checked.output)\(checked.error)")
        }
    }

    /// The units pass `systemd-analyze verify`, the agent's with its ExecStart pointed at a real program here.
    @Test func theUnitsPassSystemdAnalyzeVerify() throws {
        let desired = try Self.desired(try Self.site(), "gw1")
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        try folder.write("gwsetup-agent", "#!/bin/sh\nexit 0\n")
        #expect(chmod("\(folder.path)/gwsetup-agent", 0o755) == 0)
        for unit in [DesiredState.agentUnit, DesiredState.radvdDrainUnit] {
            let file = try #require(desired.file("/etc/systemd/system/\(unit)"))
            #expect(file.validator?.contains("systemd-analyze verify") == true)
            let content = file.content.replacingOccurrences(of: DesiredState.agentBinaryPath, with: "\(folder.path)/gwsetup-agent")
            try folder.write(unit, content)
            let verified = try runCommand(["systemd-analyze", "verify", "\(folder.path)/\(unit)"])
            #expect(verified.status == 0, "\(unit): \(verified.output)\(verified.error)")
        }
        let agentUnit = try #require(desired.file("/etc/systemd/system/\(DesiredState.agentUnit)")).content
        for line in ["Type=notify", "WatchdogSec=30", "TimeoutAbortSec=10", "Restart=always", "ProtectSystem=strict", "ExecStart=\(DesiredState.agentBinaryPath) --config \(DesiredState.agentConfigPath)"] {
            #expect(agentUnit.contains(line + "\n"), "\(line)")
        }
    }

    /// ProtectSystem=strict makes /var read-only for the agent: with node-exporter on, its textfile directory is the
    /// one writable place outside /run (a VM run found the metrics file never written without it).
    @Test func theAgentMayWriteItsMetricsFileOnlyWhenNodeExporterIsOn() throws {
        let unit = "/etc/systemd/system/\(DesiredState.agentUnit)"
        let without = try #require(try Self.desired(try Self.site(), "gw1").file(unit)).content
        #expect(!without.contains(DesiredStateBuilder.textfileDirectory), "\(without)")
        let exporter = Self.uplinkCheck + "  monitoring: {respondd: true, node_exporter: true}\n"
        let text = try String(contentsOfFile: TestPaths.example("two-domains.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "  monitoring: {respondd: true, alfred: true, vnstat: true}\n", with: "")
            .replacingOccurrences(of: "services:\n", with: "services:\n" + exporter)
        let site = try SiteLoader.load(yaml: text, file: "site.yaml").site
        let with = try #require(try Self.desired(site, "gw1").file(unit)).content
        #expect(with.contains("ReadWritePaths=/run/gwsetup\nReadWritePaths=-\(DesiredStateBuilder.textfileDirectory)\n"), "\(with)")
    }

    @Test(arguments: [
        ("[example.org]", "uplink check target 'example.org' is neither an IP address nor http://ADDRESS/"),
        ("[\"http://example.org/\"]", "needs an IPv4 address, or an IPv6 address in brackets, not a name"),
        ("[127.0.0.1]", "uplink check target '127.0.0.1' is loopback, not beyond the uplink"),
        ("[\"http://192.0.2.1:99999/\"]", "has a bad port"),
        ("[]", "uplink_check.targets needs 1 to 8 targets, not 0"),
    ])
    func badTargetsNameTheirPlace(targets: String, message: String) throws {
        let uplink = "  uplink_check:\n    targets: \(targets)\n"
        let error = try #require(throws: (any Error).self) { try Self.site(uplink: uplink) }
        #expect("\(error)".contains(message), "\(error)")
        #expect("\(error)".hasPrefix("site.yaml:"), "file:line:col first: \(error)")
    }

    @Test func aSiteWithUplinkCheckNeedsTheAgentProgramAndSaysHowToBuildIt() throws {
        let desired = try Self.desired(try Self.site(), "gw1")
        let error = try #require(throws: AgentBinaryError.self) { try AgentBinary.resolve(desired, candidates: ["/nonexistent/gwsetup-agent"]) }
        #expect(error.description.contains("swift build --product gwsetup-agent --static-swift-stdlib"), "\(error)")
        // The debug build beside the tests links the Swift runtime dynamically: no gateway could run it.
        let dynamic = URL(fileURLWithPath: TestPaths.gwsetupBinary).deletingLastPathComponent().appendingPathComponent("gwsetup-agent").path
        let refused = try #require(throws: AgentBinaryError.self) { try AgentBinary.resolve(desired, candidates: [dynamic]) }
        #expect(refused.description.contains("needs the Swift runtime libraries"), "\(refused)")
        #expect(AgentBinary.candidates(environment: ["GWSETUP_AGENT": "/opt/agent"], executable: "/usr/bin/gwsetup") == ["/opt/agent"])
        #expect(AgentBinary.candidates(environment: [:], executable: "/usr/bin/gwsetup") == ["/usr/bin/gwsetup-agent", AgentBinary.packagedPath])
    }
}
