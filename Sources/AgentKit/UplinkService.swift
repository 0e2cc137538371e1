#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The uplink check: a probe round every `interval` seconds, the verdict from UplinkHealth, and the gateway drained
/// while the uplink is down or an admin asked for maintenance. State survives restarts in the state file.
public final class UplinkService: AgentService {
    public let name = "uplink"
    private let config: UplinkConfig
    private let prober: Prober
    /// The round whose sockets the run loop polls now; nil between rounds.
    private var inFlight: ProbeRoundInFlight?
    private let drainSwitch: DrainSwitch
    private let statePath: String
    private let events: any EventSink
    private var health: UplinkHealth
    private var state: UplinkState
    /// The first round is due at once.
    private var next = ContinuousClock.now

    /// Where a round's verdict comes from: the real round's sockets, polled by the run loop between its other
    /// work, or a scripted round that decides at once (tests).
    private enum Prober {
        case sockets(ProbeRound)
        case immediate(@Sendable () -> Bool)
    }

    /// The agent's service: `round`'s sockets are polled by the run loop, so respondd and the watchdog go on while it waits.
    public convenience init(config: UplinkConfig, round: ProbeRound, drainSwitch: DrainSwitch, statePath: String, events: any EventSink) {
        self.init(config: config, prober: .sockets(round), drainSwitch: drainSwitch, statePath: statePath, events: events)
    }

    /// `probe` decides a round at once when the round is due; tests pass a scripted one.
    public convenience init(config: UplinkConfig, probe: @escaping @Sendable () -> Bool, drainSwitch: DrainSwitch, statePath: String, events: any EventSink) {
        self.init(config: config, prober: .immediate(probe), drainSwitch: drainSwitch, statePath: statePath, events: events)
    }

    private init(config: UplinkConfig, prober: Prober, drainSwitch: DrainSwitch, statePath: String, events: any EventSink) {
        self.config = config
        self.prober = prober
        self.drainSwitch = drainSwitch
        self.statePath = statePath
        self.events = events
        // A restart finds what the last run decided: a gateway drained for its uplink stays drained until it recovers.
        let saved = AgentState.load(path: statePath).uplink
        state = saved ?? UplinkState()
        if saved != nil, !drainSwitch.markerPresent { state.drained = false }
        health = UplinkHealth(verdict: state.verdict, failAfter: config.failAfter, recoverAfter: config.recoverAfter)
        state.consecutiveFailures = 0
        state.consecutiveSuccesses = 0
    }

    /// While a round waits, its deadline; between rounds, the next round's start.
    public func nextDeadline() -> ContinuousClock.Instant? { inFlight?.deadline ?? next }

    public var pollRequests: [PollRequest] { inFlight?.pollRequests ?? [] }

    /// A probe socket is ready: the round may be over now (a target answered, or the last one failed).
    public func ready(_ descriptor: Int32, revents: Int16) {
        guard let round = inFlight else { return }
        round.handle(descriptor, revents: revents)
        if let verdict = round.verdict { finish(verdict) }
    }

    public func stop() {
        inFlight?.cancel()
        inFlight = nil
    }

    /// Sooner than the interval when asked (SIGHUP from `gwsetup maintenance`): the maintenance marker is read now,
    /// or when the round in flight ends.
    public func wake() { next = ContinuousClock.now }

    /// Starts a round when one is due, or ends the one in flight when its deadline has passed.
    public func tick(now: ContinuousClock.Instant) {
        if let round = inFlight {
            round.expire(now: now)
            if let verdict = round.verdict { finish(verdict) }
            return
        }
        next = now + .seconds(config.interval)
        switch prober {
        case .immediate(let probe):
            finish(probe())
        case .sockets(let round):
            let started = round.start()
            if let verdict = started.verdict { finish(verdict) } else { inFlight = started }
        }
    }

    /// A round's verdict: counters, health, events, the drain switch and the state file, as each round always had.
    private func finish(_ succeeded: Bool) {
        inFlight = nil
        state.rounds += 1
        if !succeeded { state.failedRounds += 1 }
        state.lastRound = Self.epochSeconds()
        switch health.record(roundSucceeded: succeeded) {
        case .wentDown?:
            state.transitionsDown += 1
            events.record(AgentEvent(name: "uplink-down", message: "uplink down after \(config.failAfter) failed probe rounds", priority: 4,
                                     fields: ["transitions_down": String(state.transitionsDown)]))
        case .cameUp?:
            state.transitionsUp += 1
            events.record(AgentEvent(name: "uplink-up", message: "uplink back after \(config.recoverAfter) good probe rounds", priority: 5,
                                     fields: ["transitions_up": String(state.transitionsUp)]))
        case nil: break
        }
        state.verdict = health.verdict
        state.consecutiveFailures = health.consecutiveFailures
        state.consecutiveSuccesses = health.consecutiveSuccesses
        state.maintenance = drainSwitch.maintenanceRequested
        settle()
        save()
    }

    /// Drains or undrains when the wanted state differs from the one in place, or when the marker went missing.
    private func settle() {
        let wanted = health.verdict == .down || state.maintenance
        guard wanted != state.drained || wanted != drainSwitch.markerPresent else { return }
        let reason = state.maintenance ? "maintenance" : (health.verdict == .down ? "uplink down" : "uplink up")
        let failed = wanted ? drainSwitch.drain() : drainSwitch.undrain()
        state.drained = wanted
        state.lastChange = Self.epochSeconds()
        events.record(AgentEvent(
            name: wanted ? "drained" : "serving",
            message: (wanted ? "gateway drained (\(reason))" : "gateway serving again (\(reason))")
                + (failed.isEmpty ? "" : "; failed: \(failed.joined(separator: "; "))"),
            priority: failed.isEmpty ? 5 : 3,
            fields: ["reason": reason, "failed": String(failed.count)]))
    }

    private func save() {
        var whole = AgentState.load(path: statePath)
        whole.uplink = state
        do {
            try whole.save(path: statePath)
        } catch {
            events.record(AgentEvent(name: "state-write-failed", message: "\(error)", priority: 3))
        }
    }

    static func epochSeconds() -> Int { Int(Date().timeIntervalSince1970) }
}
