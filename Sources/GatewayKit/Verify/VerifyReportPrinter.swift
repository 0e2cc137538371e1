import GatewayBase

/// The human form of a verify report: one line per intent (verdict, id, sentence) with its deciding rules and any near
/// miss below it, then drift grouped per chain, then a summary. Each file is named once, in the header.
public struct VerifyReportPrinter: Sendable, ColoredPrinter {
    public var colors: Bool
    /// Checked files given by absolute path are shown relative to this folder (the admin's working directory).
    public var workingDirectory: String?

    /// Characters of a rule shown: every real rule fits; a 1 MB comment in a dump must not flood the terminal.
    static let ruleLimit = 300

    public init(colors: Bool, workingDirectory: String? = nil) {
        self.colors = colors
        self.workingDirectory = workingDirectory
    }

    public func render(_ report: VerifyReport) -> String {
        var lines = header(report)
        lines.append("")
        let idWidth = min(report.intents.map(\.id.count).max() ?? 0, 48)
        for finding in report.intents {
            let id = Echo.inline(finding.id, limit: Self.ruleLimit)
            lines.append("\(mark(finding.status)) \(id.padding(toLength: max(idWidth, id.count), withPad: " ", startingAt: 0))  \(Echo.inline(finding.name, limit: Self.ruleLimit))")
            for rule in finding.rules {
                let assumption = rule.assumption.map { "  [\($0)]" } ?? ""
                lines.append("           \(place(rule.line, rule.table, rule.chain))  \(Echo.inline(rule.text, limit: Self.ruleLimit))\(assumption)")
            }
            if let note = finding.note { lines.append("           (\(note))") }
            if let miss = finding.nearMiss { lines += nearMiss(miss) }
        }
        lines.append("")
        lines += drift(report)
        if !report.ignored.isEmpty {
            lines.append("Not drift (fail2ban owns them): " + (report.ignored.chains + report.ignored.jumps).joined(separator: "; "))
        }
        lines.append("")
        lines.append(summary(report))
        return lines.joined(separator: "\n")
    }

    /// Which files were checked against which rendered ones, each named once.
    private func header(_ report: VerifyReport) -> [String] {
        var lines = ["gwsetup verify for \(report.gateway)"]
        for family in [IPFamily.ipv4, .ipv6] {
            let checked = family == .ipv4 ? report.checked.ipv4 : report.checked.ipv6
            let rendered = family == .ipv4 ? report.rendered.ipv4 : report.rendered.ipv6
            guard let checked else {
                lines.append("\(family.displayName) not checked: no \(family.displayName) rules given")
                continue
            }
            let against = rendered.map { ", compared with \(Echo.inline($0, limit: Self.ruleLimit))" } ?? ""
            lines.append("\(family.displayName) rules from \(Echo.inline(display(checked), limit: Self.ruleLimit))\(against)")
        }
        return lines
    }

    /// `line 20`, or `filter INPUT` for a chain policy (which has no line).
    private func place(_ line: Int?, _ table: String, _ chain: String) -> String {
        line.map { "line \($0)" } ?? "\(table) \(Echo.inline(chain, limit: Self.ruleLimit))"
    }

    private func nearMiss(_ miss: CitedNearMiss) -> [String] {
        let packet = miss.packet.map { "; the packet has \(Echo.inline($0, limit: Self.ruleLimit))" } ?? ""
        return [
            "           " + paint("near miss:", "36") + " \(place(miss.rule.line, miss.rule.table, miss.rule.chain)) would decide it but for \(miss.field)"
                + " (the rule wants \(Echo.inline(miss.condition, limit: Self.ruleLimit))\(packet))",
            "             \(Echo.inline(miss.rule.text, limit: Self.ruleLimit))",
        ]
    }

    /// Drift per chain under a `IPv4 filter INPUT` header; moves that change no intent in one line at the end.
    private func drift(_ report: VerifyReport) -> [String] {
        guard !report.drift.isEmpty else { return ["No drift from the rendered rules."] }
        var lines = ["Drift from the rendered rules, per chain (- rendered but missing, + here but not rendered, ↕ moved):"]
        let shown = report.drift.filter { !$0.isOrderOnly }
        for group in DriftGroup.groups(shown) {
            var head = "  \(familyName(group.family)) \(group.table) \(Echo.inline(group.chain, limit: Self.ruleLimit))"
            var items = group.items
            if let chain = items.first(where: { $0.text.hasPrefix(":") }) {
                head += chain.kind == .missing ? "  (chain missing)" : "  (chain not rendered)"
                items.removeAll { $0.text.hasPrefix(":") }
            }
            if let policy = items.first(where: { $0.kind == .policy }) {
                head += "  " + paint(policy.text, "33")
                items.removeAll { $0.kind == .policy }
            }
            lines.append(head)
            for item in items {
                lines.append("    " + driftLine(item))
            }
        }
        let orderOnly = report.drift.filter(\.isOrderOnly)
        if !orderOnly.isEmpty {
            let chains = DriftGroup.groups(orderOnly).map { "\(familyName($0.family)) \($0.table) \(Echo.inline($0.chain, limit: Self.ruleLimit)) (\($0.items.count))" }
            lines.append("  Order only: \(orderOnly.count) rule\(orderOnly.count == 1 ? "" : "s") moved without changing any intent, in "
                         + chains.joined(separator: ", ") + "; apply restores the rendered order.")
        }
        return lines
    }

    private func driftLine(_ item: DriftFinding) -> String {
        let text = Echo.inline(item.text, limit: Self.ruleLimit)
        switch item.kind {
        case .missing:
            return paint("- missing   ", "31") + " rendered \(place(item.line, item.table, item.chain))  \(text)"
        case .unexpected:
            return paint("+ unexpected", "33") + " \(place(item.line, item.table, item.chain))  \(text)"
        case .moved:
            let changes = item.changesIntents.map { $0.isEmpty ? "" : "  changes \($0.joined(separator: ", "))" } ?? ""
            let rendered = item.renderedLine.map { " (rendered line \($0))" } ?? ""
            return paint("↕ moved     ", "33") + " \(place(item.line, item.table, item.chain))\(rendered)  \(text)\(changes)"
        case .policy:
            return paint("~ policy    ", "33") + " \(text)"
        }
    }

    private func summary(_ report: VerifyReport) -> String {
        let s = report.summary
        var drift = "no drift"
        if s.drift > 0 {
            let kinds: [(DriftFinding.Kind, String)] = [(.missing, "missing"), (.unexpected, "unexpected"), (.moved, "moved"), (.policy, "policy")]
            let counts = kinds.compactMap { kind, word -> String? in
                let count = report.drift.count { $0.kind == kind }
                return count == 0 ? nil : "\(count) \(word)"
            }
            let chains = DriftGroup.groups(report.drift).count
            drift = "\(s.drift) drifted (\(counts.joined(separator: ", "))) in \(chains) chain\(chains == 1 ? "" : "s")"
        }
        return "\(s.intents) intents: \(s.holds) hold, \(s.fails) FAIL, \(s.depends) depend; \(drift)."
    }

    private func familyName(_ family: String) -> String { IPFamily(rawValue: family)?.displayName ?? family }

    private func mark(_ status: IntentFinding.Status) -> String {
        switch status {
        case .holds: paint("holds   ", "32")
        case .fails: paint("FAILS   ", "1;31")
        case .depends: paint("depends ", "33")
        }
    }

    /// An absolute file path relative to the working directory; labels (`iptables-save on gw1`) stay as they are.
    func display(_ source: String) -> String {
        guard let workingDirectory, source.hasPrefix("/") else { return source }
        return RelativePath.from(workingDirectory, to: source)
    }
}

/// Drift findings of one chain, in the order the report lists them.
struct DriftGroup {
    var family: String
    var table: String
    var chain: String
    var items: [DriftFinding]

    /// Indexed by chain, so a dump of 100,000 drifted chains groups in one pass rather than a search per finding.
    static func groups(_ findings: [DriftFinding]) -> [DriftGroup] {
        var groups: [DriftGroup] = []
        var indexOf: [[String]: Int] = [:]
        for finding in findings {
            let key = [finding.family, finding.table, finding.chain]
            if let index = indexOf[key] {
                groups[index].items.append(finding)
            } else {
                indexOf[key] = groups.count
                groups.append(DriftGroup(family: finding.family, table: finding.table, chain: finding.chain, items: [finding]))
            }
        }
        return groups
    }
}
