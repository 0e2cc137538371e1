import Foundation
import Testing
@testable import GatewayKit
import TestSupport

/// `gwsetup maintenance on|off`: refused with one line where no agent runs; on a gateway, the script sets the marker,
/// wakes the agent and waits until the agent has acted (run in a real shell with the markers moved to a scratch folder
/// and systemctl a stand-in that plays the agent).
@Suite struct MaintenanceTests {
    @Test func aSiteWithoutTheAgentIsRefusedInOneLine() throws {
        let result = try Shell.run("'\(TestPaths.gwsetupBinary)' maintenance on --gateway gw1 --site '\(TestPaths.example("single-gateway.yaml"))'")
        #expect(result.status == 1)
        #expect(result.output == "error: gw1: maintenance is done by gwsetup's agent, which this site does not install; turn on services.uplink_check and apply\n", "\(result.output)")
    }

    /// Left out, --gateway would mean every gateway of the community at once: an outage, so it is refused.
    @Test func maintenanceNamesItsGateways() throws {
        let result = try Shell.run("'\(TestPaths.gwsetupBinary)' maintenance on --site '\(TestPaths.example("single-gateway.yaml"))'")
        #expect(result.status == 1)
        #expect(result.output.hasPrefix("error: maintenance needs --gateway: name the gateways to drain or bring back"), "\(result.output)")
    }

    /// The script with its fixed paths pointed at `folder`; the stand-in systemctl answers is-active with `active` and,
    /// on the SIGHUP, does what the agent would: drains (on) or records maintenance off (off).
    func run(on: Bool, active: Bool, agentActs: Bool, folder: String) throws -> Shell.Result {
        var script = MaintenanceScript.make(on: on, waitSeconds: 1)
        for (path, moved) in [(DesiredState.maintenanceMarker, "\(folder)/lib/maintenance"), (LiveNetwork.drainedMarker, "\(folder)/run/drained"),
                              (DesiredState.agentStatePath, "\(folder)/run/agent-state.json"), ("/var/lib/gwsetup", "\(folder)/lib")] {
            script = script.replacingOccurrences(of: ShellQuote.quote(path), with: ShellQuote.quote(moved))
        }
        let agent = agentActs ? (on ? ": > \(folder)/run/drained; echo '{\"uplink\":{\"maintenance\":true}}' > \(folder)/run/agent-state.json"
                                    : "rm -f \(folder)/run/drained; echo '{\"uplink\":{\"maintenance\":false}}' > \(folder)/run/agent-state.json") : ":"
        let stub = """
            mkdir -p \(folder)/run
            systemctl() { case $1 in is-active) \(active ? "true" : "false") ;; kill) echo "kill $*" >> \(folder)/log; \(agent) ;; esac; }
            """
        // The script's PATH export comes after the stub; a shell function still wins over any systemctl on PATH.
        return try Shell.run(stub + "\n" + script)
    }

    @Test func onSetsTheMarkerWakesTheAgentAndReportsDrained() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let result = try run(on: true, active: true, agentActs: true, folder: folder.path)
        #expect(result.status == 0 && result.output == "drained\n", "\(result.output)")
        #expect(FileManager.default.fileExists(atPath: "\(folder.path)/lib/maintenance"))
        #expect(try String(contentsOfFile: "\(folder.path)/log", encoding: .utf8) == "kill kill --kill-whom=main --signal=HUP gwsetup-agent.service\n")
        let off = try run(on: false, active: true, agentActs: true, folder: folder.path)
        #expect(off.status == 0 && off.output == "serving\n", "\(off.output)")
        #expect(!FileManager.default.fileExists(atPath: "\(folder.path)/lib/maintenance"))
    }

    @Test func noAgentIsExit3AndAnAgentThatDoesNotActIsExit4() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        #expect(try run(on: true, active: false, agentActs: false, folder: folder.path).status == 3)
        #expect(try run(on: true, active: true, agentActs: false, folder: folder.path).status == 4)
    }
}
