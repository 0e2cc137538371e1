import Foundation
import GatewayBase

/// `gwsetup show PLAN`: a saved plan file read as hostile (``PlanCoding``'s strict decode) and shown, never run.
public enum PlanShow {
    /// The plans in `file`, each checked as `apply --plan` checks them, before anything of it is shown.
    public static func load(_ file: String) throws -> [Plan] {
        let plans = try PlanCoding.decode(try SavedPlan.read(file), source: file)
        var seen: Set<String> = []
        if let twice = plans.map(\.gateway).first(where: { !seen.insert($0).inserted }) {
            throw PlanFileError("\(file): the plan file has two plans for gateway \(Echo.quoted(twice)); save it again with plan --out")
        }
        return plans
    }

    /// Each plan as `plan` prints it, headed by the file and the digests apply will hold it to. Diff lines are the
    /// only text the decoder does not check, so their control characters are escaped here before a terminal sees them.
    public static func text(_ plans: [Plan], file: String, colors: Bool, showNewFiles: Bool = false) -> String {
        let printer = PlanPrinter(colors: colors, showNewFiles: showNewFiles)
        let shownFile = Echo.line(file)
        guard !plans.isEmpty else { return "\(shownFile) holds no plan.\n" }
        var blocks = plans.map { plan in
            var safe = plan
            safe.changes = plan.changes.map { change in
                var change = change
                change.diff = change.diff.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map(Echo.line).joined(separator: "\n") }
                return change
            }
            let header = "saved plan for \(plan.gateway) in \(shownFile) (facts \(plan.factsDigest.prefix(12)), site \(plan.desiredDigest.prefix(12)))"
            return printer.render(safe, header: header)
        }
        if plans.count > 1 { blocks.append("\(plans.count) gateways in \(shownFile): \(plans.map(\.gateway).joined(separator: ", "))\n") }
        return blocks.joined(separator: "\n")
    }

    /// The file's plans in the stable form `plan --json` prints, re-encoded from what was decoded, never copied.
    public static func json(_ plans: [Plan]) throws -> Data {
        try PlanCoding.encode(plans)
    }
}
