import Foundation
import Testing
@testable import AgentKit
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The built gwsetup-agent as a process (not under systemd): a local HTTP target that stops answering drains the
/// gateway within fail_after rounds, answering again brings it back, each step visible in the state file, and the
/// drain's commands run (batctl and systemctl are recording stand-ins on PATH). SIGTERM ends it cleanly.
@Suite(.serialized) struct AgentProcessTests {
    var agentBinary: String {
        URL(fileURLWithPath: TestPaths.gwsetupBinary).deletingLastPathComponent().appendingPathComponent("gwsetup-agent").path
    }

    func waitFor(_ what: String, seconds: Double, _ condition: () -> Bool) throws {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while !condition() {
            if ContinuousClock.now > deadline { throw Timeout(what: what) }
            usleep(50_000)
        }
    }

    struct Timeout: Error, CustomStringConvertible {
        let what: String
        var description: String { "timed out waiting for \(what)" }
    }

    @Test func drainsWhenTheTargetStopsAnsweringAndServesWhenItAnswersAgain() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("agent-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/bin", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for tool in ["batctl", "systemctl"] {
            try "#!/bin/sh\necho \"\(tool) $*\" >> \(folder)/commands.log\n".write(toFile: "\(folder)/bin/\(tool)", atomically: true, encoding: .utf8)
            #expect(chmod("\(folder)/bin/\(tool)", 0o755) == 0)
        }
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let config = """
            {"uplink": {"targets": [{"kind": "http", "address": "127.0.0.1", "port": \(server.port)}],
              "interval": 1, "fail_after": 2, "recover_after": 2, "timeout": 1,
              "drain": {"batman": [{"interface": "bat-ffx", "bandwidth": "1000kbit/1000kbit"}], "dhcp_unit": "dnsmasq.service",
                        "radvd_unit": "radvd.service", "radvd_drain_unit": "gwsetup-radvd-drain.service",
                        "marker": "\(folder)/drained", "maintenance_marker": "\(folder)/maintenance"}}}
            """
        try config.write(toFile: folder + "/agent.json", atomically: true, encoding: .utf8)
        let statePath = folder + "/agent-state.json"
        let pid = try ChildProcess.spawn("/usr/bin/env", ["-u", "JOURNAL_STREAM", "PATH=\(folder)/bin:/usr/bin:/bin", agentBinary,
                                                          "--config", folder + "/agent.json", "--state", statePath], outputFile: folder + "/agent.log")
        defer { ChildProcess.terminate(pid) }
        func state() -> UplinkState? { AgentState.load(path: statePath).uplink }
        func commands() -> String { (try? String(contentsOfFile: folder + "/commands.log", encoding: .utf8)) ?? "" }

        try waitFor("a first good round", seconds: 60) { (state()?.rounds ?? 0) >= 1 }
        #expect(state()?.verdict == .up && state()?.drained == false)
        server.answering = false
        // Deadlines are for a machine under load, not a speed claim (BENCHMARKS has the time to drain).
        try waitFor("the drain", seconds: 60) { state()?.drained == true }
        #expect(FileManager.default.fileExists(atPath: folder + "/drained"))
        #expect(commands() == "batctl meshif bat-ffx gw_mode off\nsystemctl stop -- dnsmasq.service\nsystemctl start -- gwsetup-radvd-drain.service\n")
        #expect(state()?.transitionsDown == 1)
        server.answering = true
        try waitFor("the return", seconds: 60) { state()?.drained == false }
        #expect(commands().hasSuffix("batctl meshif bat-ffx gw_mode server 1000kbit/1000kbit\nsystemctl start -- dnsmasq.service\nsystemctl start -- radvd.service\n"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/drained"))
        #expect(state()?.transitionsUp == 1 && state()?.verdict == .up)

        // Maintenance by marker and SIGHUP, as `gwsetup maintenance on` does it.
        #expect(FileManager.default.createFile(atPath: folder + "/maintenance", contents: Data()))
        kill(pid, SIGHUP)
        try waitFor("maintenance drain", seconds: 60) { state()?.drained == true && state()?.maintenance == true }

        kill(pid, SIGTERM)
        try waitFor("a clean exit", seconds: 60) { ChildProcess.exitStatus(pid) != nil || kill(pid, 0) != 0 }
        let log = (try? String(contentsOfFile: folder + "/agent.log", encoding: .utf8)) ?? ""
        for event in ["started", "uplink-down", "drained", "uplink-up", "serving", "stopped"] {
            #expect(log.contains("gwsetup-agent: \(event):"), "\(event) missing from:\n\(log)")
        }
    }

    @Test func aBadConfigIsOneLineAndExitOne() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("agent-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "{\"uplink\": {\"targets\": []}}".write(toFile: folder + "/agent.json", atomically: true, encoding: .utf8)
        let pid = try ChildProcess.spawn(agentBinary, ["--config", folder + "/agent.json"], outputFile: folder + "/agent.log")
        var status: Int32?
        try waitFor("the exit", seconds: 60) { status = ChildProcess.exitStatus(pid); return status != nil }
        #expect(status == 1)
        let log = try String(contentsOfFile: folder + "/agent.log", encoding: .utf8)
        #expect(log.split(separator: "\n").count == 1 && log.contains("agent.json: uplink"), "\(log)")
    }
}
