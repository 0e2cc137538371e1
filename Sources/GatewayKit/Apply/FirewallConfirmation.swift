import Foundation

/// A firewall change stays only once a new login proves the admin still gets in; otherwise the host's detached
/// rollback timer (armed before the rules were loaded) restores the previous rules on its own.
public struct FirewallConfirmation: Sendable {
    public enum Outcome: Sendable, Equatable, CustomStringConvertible {
        /// A new connection got in and stopped the rollback timer: the new rules stay.
        case confirmed
        /// No new connection got in; the host restores the previous rules when its timer fires.
        case rollingBack(reason: String, withinSeconds: Int)
        /// The timer fired before the confirmation arrived; the previous rules are back.
        case rolledBack(String)

        public var description: String {
            switch self {
            case .confirmed:
                "firewall change confirmed over a new connection"
            case let .rollingBack(reason, seconds):
                "firewall change NOT confirmed: a new connection could not get in (\(reason)); the gateway restores its previous rules within \(seconds) s"
            case let .rolledBack(detail):
                "firewall change rolled back before it was confirmed: \(detail)"
            }
        }
    }

    /// Seconds the host waits for the confirmation before it restores the previous rules.
    public var rollbackSeconds: Int
    /// How long the new connection may take to log in and confirm.
    public var confirmTimeout: Duration

    public init(rollbackSeconds: Int = 120, confirmTimeout: Duration = .seconds(45)) {
        self.rollbackSeconds = rollbackSeconds
        self.confirmTimeout = confirmTimeout
    }

    /// The host command that saves the live rules and starts the detached timer; runs just before the rules load.
    public var armCommand: String {
        "sh \(DesiredState.firewallScriptPath) arm \(rollbackSeconds)"
    }

    /// Confirms over a connection opened just for it, never the one the apply ran over.
    public func confirm(over transport: any Transport) async -> Outcome {
        do {
            let result = try await transport.runOverFreshConnection(
                "sh \(DesiredState.firewallScriptPath) confirm", stdin: Data(), timeout: confirmTimeout)
            switch result.status {
            case 0: return .confirmed
            case 3: return .rolledBack(result.stderrText.trimmingCharacters(in: .whitespacesAndNewlines))
            default:
                let why = result.stderrText.trimmingCharacters(in: .whitespacesAndNewlines)
                return .rollingBack(reason: "confirm exited \(result.status): \(why)", withinSeconds: rollbackSeconds)
            }
        } catch {
            return .rollingBack(reason: "\(error)", withinSeconds: rollbackSeconds)
        }
    }
}
