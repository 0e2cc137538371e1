import Foundation

/// An apply as people read it: one line per step with its time, the failure with the command's stderr, a summary.
public struct ApplyReportPrinter: Sendable, ColoredPrinter {
    public var colors: Bool

    public init(colors: Bool) {
        self.colors = colors
    }

    public func render(_ report: ApplyReport) -> String {
        var lines: [String] = []
        let width = min(64, (report.completed.map(\.step.title.count) + [report.failure?.step.title.count ?? 0]).max() ?? 0)
        for outcome in report.completed {
            lines.append("  \(paint("ok    ", "32")) \(pad(outcome.step.title, width))  \(Self.seconds(outcome.milliseconds))")
        }
        if let failure = report.failure {
            lines.append("  \(paint("FAILED", "31")) \(pad(failure.step.title, width))  \(Self.seconds(failure.milliseconds))  (status \(failure.status))")
            lines += failure.stderr.split(separator: "\n").suffix(20).map { "         \(paint(String($0), "2"))" }
        }
        if let firewall = report.firewall {
            lines.append("  \(firewall.kept ? paint("ok    ", "32") : paint("FAILED", "31")) \(firewall)")
        }
        let total = (report.completed.map(\.milliseconds) + [report.failure?.milliseconds ?? 0]).reduce(0, +)
        if report.succeeded {
            let restarted = report.restarted.isEmpty ? "nothing restarted" : "restarted \(report.restarted.joined(separator: ", "))"
            lines.append(report.completed.isEmpty
                ? "No changes. \(report.gateway) matches the site."
                : "Apply complete on \(report.gateway): \(report.completed.count) steps in \(Self.seconds(total)); \(restarted).")
        } else if report.failure == nil {
            lines.append("Applied \(report.completed.count) steps on \(report.gateway), but its firewall change was not kept; rerun once the rules let you in.")
        } else {
            lines.append("Apply stopped on \(report.gateway) after \(report.completed.count) steps; what was done stays done, rerun to converge.")
        }
        for (instance, key) in report.publicKeys.sorted(by: { $0.key < $1.key }) {
            lines.append("fastd public key of \(report.gateway)/\(instance): \(key)")
        }
        if let key = report.tincPublicKey { lines.append("tinc public key of \(report.gateway): \(key)") }
        if let key = report.wireguardPublicKeys[WireGuardKey.Role.exit.rawValue] { lines.append("exit public key of \(report.gateway): \(key)") }
        if let key = report.wireguardPublicKeys[WireGuardKey.Role.mesh.rawValue] { lines.append("wireguard public key of \(report.gateway): \(key)") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func seconds(_ milliseconds: Int) -> String { String(format: "%.1fs", Double(milliseconds) / 1000) }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text.padding(toLength: width, withPad: " ", startingAt: 0)
    }
}
