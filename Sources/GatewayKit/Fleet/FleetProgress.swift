import Foundation
import Synchronization

/// The lines a fleet run prints on stderr as each gateway starts and ends, so a long run is never silent until
/// every gateway is done; stdout keeps each gateway's block and the summary.
public final class FleetProgress: Sendable {
    private let total: Int
    /// What the run does, as a present participle (`planning`, `applying`).
    private let verb: String
    private let ended = Mutex(0)

    public init(total: Int, verb: String) {
        self.total = total
        self.verb = verb
    }

    /// `gw1: planning…`, as the gateway's job starts.
    public func started(_ gateway: String) -> String {
        "\(gateway): \(verb)…"
    }

    /// `gw1: changes: 3 to add, … (1.2 s) [1/4 done]`, counted as gateways end, in the order they end.
    public func ended(_ result: GatewayRunResult) -> String {
        let count = ended.withLock { value in
            value += 1
            return value
        }
        let word = switch result.outcome {
        case .unchanged: "unchanged"
        case .changed(let summary): "changes: \(summary)"
        case .failed: "FAILED"
        case .skipped: "skipped"
        }
        let seconds = Double(result.duration.components.seconds) + Double(result.duration.components.attoseconds) / 1e18
        return "\(result.gateway): \(word) (\(String(format: "%.1f", seconds)) s) [\(count)/\(total) done]"
    }
}
