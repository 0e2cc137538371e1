/// What one apply did on one gateway: every finished step, the failure that stopped it, the fastd public keys.
public struct ApplyReport: Sendable, Equatable {
    public var gateway: String
    public var completed: [StepOutcome]
    public var failure: StepFailure?
    /// fastd instance → public key, from the probe or from keys made in this run; the node firmware needs them.
    public var publicKeys: [String: String]

    public var succeeded: Bool { failure == nil }

    /// Units restarted or reloaded in this run, so a second run can be shown to restart nothing.
    public var restarted: [String] {
        completed.filter { $0.step.kind == .restart || $0.step.kind == .reload }.map(\.step.resource)
    }
}
