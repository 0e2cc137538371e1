import Foundation

/// The table printed after a fleet run and the exit status it implies: the worst of all gateways.
public struct FleetSummary: Sendable {
    public var results: [GatewayRunResult]

    public init(_ results: [GatewayRunResult]) {
        self.results = results
    }

    /// 1 when any gateway failed or was skipped, 2 when `detailed` and any has changes, 0 otherwise.
    public func exitStatus(detailed: Bool) -> Int32 {
        if results.contains(where: { $0.failed || $0.outcome == .skipped }) { return 1 }
        if detailed && results.contains(where: \.hasChanges) { return 2 }
        return 0
    }

    /// One aligned row per gateway in site order: name, result, detail, time.
    public func table() -> String {
        let rows = results.map { result -> [String] in
            let (word, detail): (String, String) = switch result.outcome {
            case .unchanged: ("unchanged", "")
            case .changed(let summary): ("changes", summary)
            case .failed(let reason): ("FAILED", reason)
            case .skipped: ("skipped", "not started after an earlier failure (--fail-fast)")
            }
            let seconds = Double(result.duration.components.seconds) + Double(result.duration.components.attoseconds) / 1e18
            return [result.gateway, word, result.outcome == .skipped ? "-" : String(format: "%.1fs", seconds), detail]
        }
        let header = ["gateway", "result", "time", "detail"]
        let widths = (0..<3).map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            (0..<3).map { cells[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                + (cells[3].isEmpty ? "" : "  " + cells[3])
        }
        let failed = results.filter(\.failed).count
        let changed = results.filter(\.hasChanges).count
        let footer = "\(results.count) gateways: \(changed) with changes, \(failed) failed"
            + (results.contains { $0.outcome == .skipped } ? ", \(results.filter { $0.outcome == .skipped }.count) skipped" : "")
        return ([line(header).trimmingTrailingSpaces()] + rows.map { line($0).trimmingTrailingSpaces() } + [footer]).joined(separator: "\n")
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
