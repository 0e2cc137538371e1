import Foundation

/// Plans as people read them: one aligned line per change, diffs of changed files, a summary line.
public struct PlanPrinter: Sendable, ColoredPrinter {
    public var colors: Bool
    /// Show the full content of files that do not exist yet, not only diffs of changed ones.
    public var showNewFiles: Bool

    public init(colors: Bool, showNewFiles: Bool = false) {
        self.colors = colors
        self.showNewFiles = showNewFiles
    }

    public func render(_ plan: Plan, header: String) -> String {
        var lines = [header, ""]
        if plan.isEmpty {
            lines.append("No changes. \(plan.gateway) matches the site.")
            return lines.joined(separator: "\n") + "\n"
        }
        let kindWidth = plan.changes.map(\.kind.rawValue.count).max() ?? 0
        let resourceWidth = min(48, plan.changes.map(\.resource.count).max() ?? 0)
        for change in plan.changes {
            let symbol = Self.symbol(change.action)
            let kind = change.kind.rawValue.padding(toLength: kindWidth, withPad: " ", startingAt: 0)
            let resource = change.resource.count >= resourceWidth ? change.resource : change.resource.padding(toLength: resourceWidth, withPad: " ", startingAt: 0)
            var reason = change.reason
            let restarts = change.triggers.filter { change.kind != .service || $0.description != change.resource }
            if !restarts.isEmpty && change.kind != .service { reason += " → " + restarts.map(\.description).joined(separator: ", ") }
            lines.append("  \(paint(symbol, Self.color(change.action))) \(kind) \(resource)  \(paint(reason, "2"))")
            if let diff = change.diff, !diff.isEmpty, change.action == .change || showNewFiles {
                lines += diff.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                    let color = line.hasPrefix("+") ? "32" : line.hasPrefix("-") ? "31" : line.hasPrefix("@@") ? "36" : "2"
                    return "      " + paint(String(line), color)
                }
            }
        }
        lines.append("")
        lines.append("Plan: \(plan.summaryText).")
        return lines.joined(separator: "\n") + "\n"
    }

    static func symbol(_ action: PlannedChange.Action) -> String {
        switch action {
        case .add: "+"
        case .change: "~"
        case .remove: "-"
        case .run: "!"
        }
    }

    static func color(_ action: PlannedChange.Action) -> String {
        switch action {
        case .add: "32"
        case .change: "33"
        case .remove: "31"
        case .run: "35"
        }
    }
}
