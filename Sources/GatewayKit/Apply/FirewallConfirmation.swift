import Foundation

/// How an apply that changed the firewall ended for the rules: kept because a new login got in, or on its way back.
public enum FirewallConfirmation: Sendable, Equatable, CustomStringConvertible {
    /// A new connection got in and stopped the rollback timer: the new rules stay.
    case confirmed
    /// No new connection got in; the host restores its previous rules when the timer fires.
    case rollingBack(reason: String, withinSeconds: Int)
    /// The timer fired before the confirmation arrived; the previous rules are back.
    case rolledBack

    public var kept: Bool { self == .confirmed }

    public var description: String {
        switch self {
        case .confirmed:
            "firewall change confirmed over a new connection"
        case let .rollingBack(reason, seconds):
            "firewall change NOT confirmed: a new connection could not get in (\(reason)); the gateway restores its previous rules within \(seconds)s"
        case .rolledBack:
            "firewall change rolled back: the gateway's timer restored the previous rules before the confirmation arrived"
        }
    }

    /// Confirms over a connection opened just for it, never the one the apply ran over: only a new login proves
    /// the admin can still get in. A login that fails is tried again for `retryFor` (default: half the rollback
    /// window, at most a minute), since sshd re-executing after its reload refuses connections for a moment; a real
    /// lockout keeps failing and the gateway's timer still has the other half to roll back.
    public static func confirm(_ rollback: FirewallRollback, over transport: any Transport, timeout: Duration = .seconds(60),
                               retryFor: Duration? = nil, pause: Duration = .seconds(2)) async -> FirewallConfirmation {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: retryFor ?? .seconds(min(60, rollback.timeoutSeconds / 2)))
        while true {
            do {
                let result = try await transport.runOverFreshConnection(rollback.confirmScript, stdin: Data(), timeout: timeout)
                switch result.status {
                case 0: return .confirmed
                case FirewallRollback.tooLateStatus: return .rolledBack
                default:
                    let why = result.stderrText.trimmingCharacters(in: .whitespacesAndNewlines)
                    return .rollingBack(reason: "confirm exited \(result.status): \(why)", withinSeconds: rollback.timeoutSeconds)
                }
            } catch {
                guard clock.now.advanced(by: pause) < deadline else {
                    return .rollingBack(reason: "\(error)", withinSeconds: rollback.timeoutSeconds)
                }
                try? await Task.sleep(for: pause)
            }
        }
    }
}
