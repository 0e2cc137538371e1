import Foundation

/// An apply as people read it: one line per step with its time, the failure with the command's stderr, a summary.
public struct ApplyReportPrinter: Sendable {
    public var colors: Bool

    public init(colors: Bool) {
        self.colors = colors
    }

    public func render(_ report: ApplyReport, connections: TransportCounts? = nil) -> String {
        var lines: [String] = []
        let width = min(64, (report.completed.map(\.step.title.count) + [report.failure?.step.title.count ?? 0]).max() ?? 0)
        for outcome in report.completed {
            lines.append("  \(paint("ok    ", "32")) \(pad(outcome.step.title, width))  \(Self.seconds(outcome.milliseconds))")
        }
        if let failure = report.failure {
            lines.append("  \(paint("FAILED", "31")) \(pad(failure.step.title, width))  \(Self.seconds(failure.milliseconds))  (status \(failure.status))")
            lines += failure.stderr.split(separator: "\n").suffix(20).map { "         \(paint(String($0), "2"))" }
        }
        let total = (report.completed.map(\.milliseconds) + [report.failure?.milliseconds ?? 0]).reduce(0, +)
        if report.succeeded {
            let restarted = report.restarted.isEmpty ? "nothing restarted" : "restarted \(report.restarted.joined(separator: ", "))"
            lines.append(report.completed.isEmpty
                ? "No changes. \(report.gateway) matches the site."
                : "Apply complete on \(report.gateway): \(report.completed.count) steps in \(Self.seconds(total)); \(restarted).")
        } else {
            lines.append("Apply stopped on \(report.gateway) after \(report.completed.count) steps; what was done stays done, rerun to converge.")
        }
        for (instance, key) in report.publicKeys.sorted(by: { $0.key < $1.key }) {
            lines.append("fastd public key of \(report.gateway)/\(instance): \(key)")
        }
        if let connections { lines.append(connections.description) }
        return lines.joined(separator: "\n") + "\n"
    }

    static func seconds(_ milliseconds: Int) -> String { String(format: "%.1fs", Double(milliseconds) / 1000) }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text.padding(toLength: width, withPad: " ", startingAt: 0)
    }

    private func paint(_ text: String, _ code: String) -> String { colors ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
}

/// What a run cost in connections and round trips, for the summary and for BENCHMARKS.md.
public struct TransportCounts: Sendable, Equatable, CustomStringConvertible {
    public var connections: Int
    public var roundTrips: Int

    public init(connections: Int, roundTrips: Int) {
        self.connections = connections
        self.roundTrips = roundTrips
    }

    /// Counts of an SSH transport; nil for transports without connections.
    public init?(_ transport: any Transport) {
        guard let ssh = transport as? SSHTransport else { return nil }
        self.init(connections: ssh.statistics.connectionsOpened, roundTrips: ssh.statistics.roundTrips)
    }

    public var description: String {
        "ssh: \(connections) connection\(connections == 1 ? "" : "s"), \(roundTrips) round trip\(roundTrips == 1 ? "" : "s")"
    }
}
