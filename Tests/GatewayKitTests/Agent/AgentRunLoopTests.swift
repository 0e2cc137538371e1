import Foundation
import Synchronization
import Testing
import AgentKit
import TestSupport

/// The real run loop with the uplink check and respondd in a gateway namespace: a probe round that waits on a
/// silent target must not keep the map's queries (or the watchdog) waiting, since the loop is the agent's only thread.
@Suite(.serialized) struct AgentRunLoopTests {
    /// Events with the instant each was recorded, so the test can say what happened before what.
    final class TimedEvents: EventSink, CommandRunner, @unchecked Sendable {
        private let lock = NSLock()
        private var recorded: [(event: AgentEvent, at: ContinuousClock.Instant)] = []
        func record(_ event: AgentEvent) { lock.withLock { recorded.append((event, .now)) } }
        func run(_ arguments: [String]) -> Int32 { 0 }
        func first(_ name: String) -> ContinuousClock.Instant? { lock.withLock { recorded.first { $0.event.name == name }?.at } }
    }

    @Test func respondQueryIsAnsweredWhileAProbeRoundWaitsOnASilentTarget() throws {
        let testbed = try RespondTestbed()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("agent-loop-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The uplink's only target: a port in the gateway's namespace that accepts connections (the kernel's
        // backlog) but whose program never answers, so the round waits for its whole timeout.
        let mute = try NamespaceThread.run(in: testbed.gateway) { try MuteListener.open() }
        defer { close(mute.descriptor) }
        let uplink = UplinkConfig(
            targets: [.init(kind: .http, address: "127.0.0.1", port: Int(mute.port))], interval: 3600, failAfter: 1, recoverAfter: 1,
            timeout: 8, interface: nil,
            drain: DrainActions(batman: [], dhcpUnit: nil, radvdUnit: nil, radvdDrainUnit: nil,
                                marker: folder + "/drained", maintenanceMarker: folder + "/maintenance"))
        let events = TimedEvents()
        let statePath = folder + "/agent-state.json"
        let agentThread = Mutex<pthread_t?>(nil)
        let stopped = try NamespaceThread.launch(in: testbed.gateway) {
            let respondd = RespondService(responder: try RespondResponder(config: RespondTestbed.config(), source: FixtureRespondSource()))
            let check = UplinkService(config: uplink, round: ProbeRound(targets: uplink.targets, timeout: uplink.timeout, interface: nil),
                                      drainSwitch: DrainSwitch(actions: uplink.drain, commands: events), statePath: statePath, events: events)
            let loop = AgentRunLoop(services: [check, respondd], notifier: ServiceNotifier(), events: events)
            agentThread.withLock { $0 = pthread_self() }
            return { loop.run() }
        }
        // SIGTERM to the agent's thread, which blocks it and reads it from its signalfd: the agent's own way to stop.
        let stopAgent = {
            if let thread = agentThread.withLock({ $0.take() }) {
                pthread_kill(thread, SIGTERM)
                stopped.wait()
            }
        }
        defer { stopAgent() }

        // The round is under way once its connection sits in the mute port's backlog.
        var backlog = pollfd(fd: mute.descriptor, events: Int16(POLLIN), revents: 0)
        #expect(poll(&backlog, 1, 60_000) == 1, "the probe round never connected")
        // Waits far longer than the round's timeout: a loop blocked by the round would answer only after it.
        let answer = try testbed.ask("GET nodeinfo", to: RespondTestbed.meshAddress, via: "vmesh1", timeout: 60_000)
        let answeredAt = ContinuousClock.now
        #expect(answer != nil, "respondd did not answer")

        // The round still ends by its timeout with the verdict it always had: failed, so the uplink is down.
        let giveUp = ContinuousClock.now + .seconds(90)
        while events.first("uplink-down") == nil, ContinuousClock.now < giveUp { usleep(50_000) }
        let roundEnded = try #require(events.first("uplink-down"), "the probe round never ended")
        #expect(answeredAt < roundEnded, "respondd answered only after the probe round ended")
        // The loop finishes the round's bookkeeping (the state file) before it reads the stop.
        stopAgent()
        let state = try #require(AgentState.load(path: statePath).uplink)
        #expect(state.rounds == 1 && state.failedRounds == 1)
        #expect(state.verdict == .down && state.drained)
    }
}
