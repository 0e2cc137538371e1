import Foundation
import Testing
@testable import AgentKit

/// The uplink service with scripted probe rounds and a recording command runner: which commands a drain runs in
/// which order, the events and counters, and what survives a restart of the agent.
@Suite struct UplinkServiceTests {
    final class Recorder: CommandRunner, EventSink, @unchecked Sendable {
        private let lock = NSLock()
        private var _commands: [String] = []
        private var _events: [AgentEvent] = []
        var commands: [String] { lock.withLock { _commands } }
        var events: [AgentEvent] { lock.withLock { _events } }
        func run(_ arguments: [String]) -> Int32 {
            lock.withLock { _commands.append(arguments.joined(separator: " ")) }
            return 0
        }
        func record(_ event: AgentEvent) { lock.withLock { _events.append(event) } }
    }

    final class Script: @unchecked Sendable {
        var rounds: [Bool]
        init(_ rounds: [Bool]) { self.rounds = rounds }
        func next() -> Bool { rounds.isEmpty ? true : rounds.removeFirst() }
    }

    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("uplink-\(UUID().uuidString)").path
    var statePath: String { folder + "/agent-state.json" }

    var config: UplinkConfig {
        UplinkConfig(
            targets: [.init(kind: .icmp, address: "192.0.2.1")], interval: 1, failAfter: 2, recoverAfter: 2, timeout: 1, interface: nil,
            drain: DrainActions(batman: [.init(interface: "bat-ffx", bandwidth: "100000kbit/100000kbit")], dhcpUnit: "dnsmasq.service",
                                radvdUnit: "radvd.service", radvdDrainUnit: "gwsetup-radvd-drain.service",
                                marker: folder + "/drained", maintenanceMarker: folder + "/maintenance"))
    }

    func service(_ script: Script, _ recorder: Recorder) -> UplinkService {
        UplinkService(config: config, probe: { script.next() }, drainSwitch: DrainSwitch(actions: config.drain, commands: recorder),
                      statePath: statePath, events: recorder)
    }

    func ticks(_ service: UplinkService, _ count: Int) {
        for _ in 0..<count { service.tick(now: .now) }
    }

    @Test func drainsAfterFailAfterAndServesAgainAfterRecoverAfter() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let recorder = Recorder()
        let script = Script([true, false, false, false, true, true])
        let uplink = service(script, recorder)
        ticks(uplink, 2)
        #expect(recorder.commands.isEmpty, "one failed round drains nothing")
        ticks(uplink, 1)
        #expect(recorder.commands == ["batctl meshif bat-ffx gw_mode off", "systemctl stop -- dnsmasq.service", "systemctl start -- gwsetup-radvd-drain.service"])
        #expect(FileManager.default.fileExists(atPath: folder + "/drained"))
        ticks(uplink, 2)
        #expect(recorder.commands.count == 3, "a drained gateway is not drained again, and one good round is not enough")
        ticks(uplink, 1)
        #expect(Array(recorder.commands.dropFirst(3)) == ["batctl meshif bat-ffx gw_mode server 100000kbit/100000kbit", "systemctl start -- dnsmasq.service", "systemctl start -- radvd.service"])
        #expect(!FileManager.default.fileExists(atPath: folder + "/drained"))
        #expect(recorder.events.map(\.name) == ["uplink-down", "drained", "uplink-up", "serving"])
        let state = try #require(AgentState.load(path: statePath).uplink)
        #expect(state.transitionsDown == 1 && state.transitionsUp == 1 && state.rounds == 6 && state.failedRounds == 3)
        #expect(state.verdict == .up && !state.drained)
    }

    @Test func aRestartedAgentKeepsAGatewayDrainedForItsUplinkUntilItRecovers() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = Recorder()
        ticks(service(Script([false, false]), first), 2)
        #expect(first.events.map(\.name) == ["uplink-down", "drained"])
        // The next run finds the state file and the marker: the first good round does not undrain.
        let second = Recorder()
        let restarted = service(Script([true, true]), second)
        ticks(restarted, 1)
        #expect(second.commands.isEmpty)
        ticks(restarted, 1)
        #expect(second.events.map(\.name) == ["uplink-up", "serving"])
        #expect(AgentState.load(path: statePath).uplink?.transitionsDown == 1, "counters continue across restarts")
    }

    @Test func maintenanceDrainsWithAGoodUplinkAndUndrainsWhenCleared() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let recorder = Recorder()
        let uplink = service(Script([]), recorder)
        ticks(uplink, 1)
        #expect(recorder.commands.isEmpty)
        #expect(FileManager.default.createFile(atPath: folder + "/maintenance", contents: Data()))
        uplink.wake()
        #expect(uplink.nextDeadline()! <= .now)
        ticks(uplink, 1)
        #expect(recorder.commands.first == "batctl meshif bat-ffx gw_mode off")
        #expect(recorder.events.last?.fields["reason"] == "maintenance")
        #expect(AgentState.load(path: statePath).uplink?.maintenance == true)
        // A restart while in maintenance changes nothing: the marker and the drained marker agree.
        let again = Recorder()
        ticks(service(Script([]), again), 1)
        #expect(again.commands.isEmpty)
        try FileManager.default.removeItem(atPath: folder + "/maintenance")
        ticks(uplink, 1)
        #expect(recorder.commands.last == "systemctl start -- radvd.service")
        #expect(!FileManager.default.fileExists(atPath: folder + "/drained"))
    }

    @Test func aRemovedDrainedMarkerIsPutBackWhileTheUplinkIsDown() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let recorder = Recorder()
        let uplink = service(Script([false, false, false]), recorder)
        ticks(uplink, 2)
        try FileManager.default.removeItem(atPath: folder + "/drained")
        ticks(uplink, 1)
        #expect(recorder.commands.count == 6, "drained again: \(recorder.commands)")
        #expect(FileManager.default.fileExists(atPath: folder + "/drained"))
    }
}
