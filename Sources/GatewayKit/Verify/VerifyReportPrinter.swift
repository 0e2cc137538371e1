import GatewayBase

/// The human form of a verify report: one line per intent with its deciding rules below it, then drift, then a summary.
public struct VerifyReportPrinter: Sendable, ColoredPrinter {
    public var colors: Bool

    /// Characters of a rule shown: every real rule fits; a 1 MB comment in a dump must not flood the terminal.
    static let ruleLimit = 300

    public init(colors: Bool) { self.colors = colors }

    public func render(_ report: VerifyReport) -> String {
        var lines: [String] = []
        let sources = [(IPFamily.ipv4.displayName, report.checked.ipv4), (IPFamily.ipv6.displayName, report.checked.ipv6)]
        lines.append("gwsetup verify for \(report.gateway): " + sources.compactMap { name, source in source.map { "\(name) rules from \($0)" } }.joined(separator: ", "))
        for (name, source) in sources where source == nil { lines.append("\(name) not checked: no \(name) rules given") }
        lines.append("")
        for finding in report.intents {
            lines.append("\(mark(finding.status)) \(finding.name)")
            for rule in finding.rules {
                let assumption = rule.assumption.map { "  [\($0)]" } ?? ""
                lines.append("           \(rule.location)  \(Echo.inline(rule.text, limit: Self.ruleLimit))\(assumption)")
            }
            if let note = finding.note { lines.append("           (\(note))") }
        }
        lines.append("")
        if report.drift.isEmpty {
            lines.append("No drift from the rendered rules.")
        } else {
            lines.append("Drift from the rendered rules:")
            for item in report.drift {
                let (symbol, word, code) = switch item.kind {
                case .missing: ("-", "missing   ", "31")
                case .unexpected: ("+", "unexpected", "33")
                case .policy: ("~", "policy    ", "33")
                }
                let place = item.location.map { "  \($0)" } ?? ""
                lines.append(paint("  \(symbol) \(word)", code) + " \(IPFamily(rawValue: item.family)?.displayName ?? item.family) \(item.table) \(Echo.inline(item.chain, limit: Self.ruleLimit))\(place)  \(Echo.inline(item.text, limit: Self.ruleLimit))")
            }
        }
        if !report.ignored.isEmpty {
            lines.append("Not drift (fail2ban owns them): " + (report.ignored.chains + report.ignored.jumps).joined(separator: "; "))
        }
        lines.append("")
        let s = report.summary
        let drift = s.drift == 0 ? "no drift" : "\(s.drift) drifted"
        lines.append("\(s.intents) intents: \(s.holds) hold, \(s.fails) FAIL, \(s.depends) depend; \(drift).")
        return lines.joined(separator: "\n")
    }

    private func mark(_ status: IntentFinding.Status) -> String {
        switch status {
        case .holds: paint("holds   ", "32")
        case .fails: paint("FAILS   ", "1;31")
        case .depends: paint("depends ", "33")
        }
    }
}
