import FirewallKit

/// How one gateway's part of a fleet run ended, with the text it produced, so output stays grouped per gateway.
public struct GatewayRunResult: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// Nothing to change (plan) or nothing changed (apply).
        case unchanged
        /// Changes planned or made, with their one-line summary (`3 to add, 1 to change`).
        case changed(String)
        /// The gateway's run failed with this one-line reason; the others carry on unless fail-fast.
        case failed(String)
        /// Never started: an earlier gateway failed under `--fail-fast`.
        case skipped
    }

    public var gateway: String
    public var outcome: Outcome
    /// Everything the gateway's job would print on its own, kept together so parallel runs do not interleave.
    public var output: String
    public var duration: Duration

    public init(gateway: String, outcome: Outcome, output: String, duration: Duration) {
        self.gateway = gateway
        self.outcome = outcome
        self.output = output
        self.duration = duration
    }

    public var hasChanges: Bool {
        if case .changed = outcome { return true }
        return false
    }

    public var failed: Bool {
        if case .failed = outcome { return true }
        return false
    }
}
