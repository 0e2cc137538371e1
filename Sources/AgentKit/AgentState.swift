#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GatewayBase

/// What the agent keeps in /run/gwsetup/agent-state.json: read back after a restart (so a drained gateway stays drained
/// and counters keep counting) and read by the metrics textfile collector. Rewritten whole, atomically.
public struct AgentState: Sendable, Equatable, Codable {
    public var uplink: UplinkState?
    // Sections of further features go here, one line each, their types in their own files.

    public init(uplink: UplinkState? = nil) {
        self.uplink = uplink
    }

    /// The state an earlier run left; a missing or unreadable file is a fresh start, never a reason to stop.
    public static func load(path: String) -> AgentState {
        guard let data = try? FileAccess.data(at: path, limit: 1 << 20),
              let state = try? JSONDecoder().decode(AgentState.self, from: data) else { return AgentState() }
        return state
    }

    public func save(path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try FileAccess.write(try encoder.encode(self), to: path)
    }
}

/// The uplink check's part of the state file; the field names are the metrics collector's contract.
public struct UplinkState: Sendable, Equatable, Codable {
    /// `up` or `down`: the probes' verdict.
    public var verdict: UplinkHealth.Verdict
    /// Whether the gateway is drained now (uplink down, or maintenance on).
    public var drained: Bool
    public var maintenance: Bool
    public var consecutiveFailures: Int
    public var consecutiveSuccesses: Int
    /// Transitions since boot: the counters of `gwsetup_uplink_transitions_total{to="down|up"}`.
    public var transitionsDown: Int
    public var transitionsUp: Int
    /// Probe rounds since boot, and how many of them failed.
    public var rounds: Int
    public var failedRounds: Int
    /// Seconds since the epoch of the last probe round and of the last drain or undrain.
    public var lastRound: Int?
    public var lastChange: Int?

    public init(verdict: UplinkHealth.Verdict = .up, drained: Bool = false, maintenance: Bool = false) {
        self.verdict = verdict
        self.drained = drained
        self.maintenance = maintenance
        consecutiveFailures = 0
        consecutiveSuccesses = 0
        transitionsDown = 0
        transitionsUp = 0
        rounds = 0
        failedRounds = 0
    }

    enum CodingKeys: String, CodingKey {
        case verdict, drained, maintenance, rounds
        case consecutiveFailures = "consecutive_failures"
        case consecutiveSuccesses = "consecutive_successes"
        case transitionsDown = "transitions_down"
        case transitionsUp = "transitions_up"
        case failedRounds = "failed_rounds"
        case lastRound = "last_round"
        case lastChange = "last_change"
    }
}
