/// What one apply did on one gateway: every finished step, the failure that stopped it, the fastd public keys.
public struct ApplyReport: Sendable, Equatable {
    public var gateway: String
    public var completed: [StepOutcome]
    public var failure: StepFailure?
    /// fastd instance → public key, from the probe or from keys made in this run; the node firmware needs them.
    public var publicKeys: [String: String]
    /// Whether changed firewall rules were confirmed over a new connection; nil when the rules did not change.
    public var firewall: FirewallConfirmation? = nil

    public var succeeded: Bool { failure == nil && firewall?.kept != false }

    /// Units restarted or reloaded in this run, so a second run can be shown to restart nothing.
    public var restarted: [String] {
        completed.filter { $0.step.kind == .restart || $0.step.kind == .reload }.map(\.step.resource)
    }
}
