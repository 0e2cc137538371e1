/// What one apply did on one gateway: every finished step, the failure that stopped it, the fastd public keys.
public struct ApplyReport: Sendable, Equatable {
    public var gateway: String
    public var completed: [StepOutcome]
    public var failure: StepFailure?
    /// fastd instance → public key, from the probe or from keys made in this run; the node firmware needs them.
    public var publicKeys: [String: String]
    /// Whether changed firewall rules were confirmed over a new connection; nil when the rules did not change.
    public var firewall: FirewallConfirmation? = nil
    /// The public half of the backbone's host key (base64), for the site's tinc_public_key; nil without a backbone.
    public var tincPublicKey: String? = nil
    /// The WireGuard keys' public halves by role: the exit's for the exit server's peer list, the mesh key for the
    /// site's wireguard_public_key (and so Gluon's peer list).
    public var wireguardPublicKeys: [String: String] = [:]

    public var succeeded: Bool { failure == nil && firewall?.kept != false }

    /// Units restarted or reloaded in this run, so a second run can be shown to restart nothing.
    public var restarted: [String] {
        completed.filter { $0.step.kind == .restart || $0.step.kind == .reload }.map(\.step.resource)
    }

    /// The one line an apply that did not fully succeed ends with (the step, its status, its last stderr line, or
    /// the firewall change not kept); nil when it did.
    public var failureLine: String? {
        if let failure {
            let detail = failure.stderr.lastMeaningfulLine.map { ": \($0)" } ?? ""
            return "\(gateway): apply stopped at `\(failure.step.title)` (status \(failure.status))\(detail)"
        }
        if let firewall, !firewall.kept { return "\(gateway): \(firewall)" }
        return nil
    }
}
