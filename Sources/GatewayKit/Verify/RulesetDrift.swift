import FirewallKit

/// Compares checked rules with rendered ones after normalising both, so only what changes the kernel's behaviour shows.
///
/// Order within a chain matters to the kernel; a rule both sides have at different places is reported once, as moved.
/// fail2ban's `f2b-*` chains and the jumps into them are not drift: gwsetup configures fail2ban, which owns them.
public enum RulesetDrift {
    public static func compare(checked: CheckedRuleset, rendered: CheckedRuleset) -> (findings: [DriftFinding], ignored: IgnoredRules) {
        var ignored = IgnoredRules(chains: [], jumps: [])
        let live = withoutFail2ban(checked.ruleset.normalized, ignored: &ignored)
        let desired = rendered.ruleset.normalized
        let family = checked.family.rawValue
        var findings: [DriftFinding] = []
        let tableOrder = ["raw", "mangle", "nat", "filter", "security"]
        var tableNames = tableOrder.filter { desired.table($0) != nil || live.table($0) != nil }
        tableNames += (desired.tables + live.tables).map(\.name).filter { !tableNames.contains($0) }.uniqued()
        for tableName in tableNames {
            let want = desired.table(tableName) ?? Table(name: tableName, chains: [])
            let have = live.table(tableName) ?? Table(name: tableName, chains: [])
            let chainNames = (want.chains + have.chains).map(\.name).uniqued()
            // Looked up by name once per table: a dump of 100,000 chains must not cost 100,000² comparisons.
            let wantByName = Dictionary(want.chains.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            let haveByName = Dictionary(have.chains.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            for chainName in chainNames {
                let builtin = BuiltinChains.isBuiltin(chainName, in: tableName)
                // A built-in chain a dump leaves out is the kernel's default: policy ACCEPT, no rules.
                let wantChain = wantByName[chainName] ?? (builtin ? Chain(name: chainName, policy: .accept) : nil)
                let haveChain = haveByName[chainName] ?? (builtin ? Chain(name: chainName, policy: .accept) : nil)
                func finding(_ kind: DriftFinding.Kind, _ text: String, _ file: String?, _ line: Int?) -> DriftFinding {
                    DriftFinding(family: family, kind: kind, table: tableName, chain: chainName, text: text, file: file, line: line)
                }
                guard let wantChain else {
                    findings.append(finding(.unexpected, ":\(chainName)", checked.source, nil))
                    findings += haveChain!.rules.map { finding(.unexpected, ruleText($0), checked.source, $0.line) }
                    continue
                }
                guard let haveChain else {
                    findings.append(finding(.missing, ":\(chainName)", rendered.source, nil))
                    findings += wantChain.rules.map { finding(.missing, ruleText($0), rendered.source, $0.line) }
                    continue
                }
                if let wanted = wantChain.policy, let had = haveChain.policy, wanted != had {
                    findings.append(finding(.policy, "policy \(had.rawValue) (rendered: \(wanted.rawValue))", checked.source, nil))
                }
                let wantLines = wantChain.rules.map(RulesetPrinter.line)
                let haveLines = haveChain.rules.map(RulesetPrinter.line)
                guard wantLines != haveLines else { continue }
                let operations = LineDiff.editScript(wantLines, haveLines)
                let moves = pairMoves(operations)
                for operation in operations {
                    switch operation.kind {
                    case "-" where moves.byWant[operation.oldLine] != nil:
                        continue
                    case "+" where moves.byHave[operation.newLine] != nil:
                        let want = moves.byHave[operation.newLine]!
                        let rule = haveChain.rules[operation.newLine]
                        let anchor = moves.anchor(of: want).map { haveChain.rules[$0].line }
                        findings.append(DriftFinding(family: family, kind: .moved, table: tableName, chain: chainName, text: ruleText(rule),
                                                     file: checked.source, line: rule.line, renderedFile: rendered.source,
                                                     renderedLine: wantChain.rules[want].line, anchorLine: anchor))
                    case "-": findings.append(finding(.missing, ruleText(wantChain.rules[operation.oldLine]), rendered.source, wantChain.rules[operation.oldLine].line))
                    case "+": findings.append(finding(.unexpected, ruleText(haveChain.rules[operation.newLine]), checked.source, haveChain.rules[operation.newLine].line))
                    default: break
                    }
                }
            }
        }
        return (findings, ignored)
    }

    /// Rules the diff shows as removed at one place and inserted at another, paired up: they only moved.
    struct Moves {
        /// Rendered index → checked index, and back.
        var byWant: [Int: Int] = [:]
        var byHave: [Int: Int] = [:]
        /// Rendered index → checked index of every rule both sides have at a matching place.
        var kept: [Int: Int] = [:]

        /// The checked index of the rule that comes before rendered rule `want` in the rendered order (nil: none).
        func anchor(of want: Int) -> Int? {
            var index = want - 1
            while index >= 0 {
                if let have = kept[index] ?? byWant[index] { return have }
                index -= 1
            }
            return nil
        }
    }

    /// Pairs each removed line with an inserted line of the same text, first with first, so a rule that only moved shows once.
    static func pairMoves(_ operations: [LineDiff.Operation]) -> Moves {
        var moves = Moves()
        var inserted: [String: [Int]] = [:]
        for operation in operations {
            if operation.kind == "+" { inserted[operation.text, default: []].append(operation.newLine) }
            if operation.kind == " " { moves.kept[operation.oldLine] = operation.newLine }
        }
        for operation in operations where operation.kind == "-" {
            guard var candidates = inserted[operation.text], !candidates.isEmpty else { continue }
            let have = candidates.removeFirst()
            inserted[operation.text] = candidates
            moves.byWant[operation.oldLine] = have
            moves.byHave[have] = operation.oldLine
        }
        return moves
    }

    /// The rule as the file has it (what the admin will search for), else as printed.
    private static func ruleText(_ rule: Rule) -> String { rule.text.isEmpty ? RulesetPrinter.line(rule) : rule.text }

    static func isFail2banChain(_ name: String) -> Bool { name.hasPrefix("f2b-") }

    /// Drops fail2ban's chains and the rules that lead into them, noting each in `ignored`.
    static func withoutFail2ban(_ ruleset: Ruleset, ignored: inout IgnoredRules) -> Ruleset {
        var copy = ruleset
        for t in copy.tables.indices {
            let tableName = copy.tables[t].name
            for chain in copy.tables[t].chains where isFail2banChain(chain.name) {
                ignored.chains.append("\(tableName) \(chain.name) (\(chain.rules.count) rule\(chain.rules.count == 1 ? "" : "s"))")
            }
            copy.tables[t].chains.removeAll { isFail2banChain($0.name) }
            for c in copy.tables[t].chains.indices {
                copy.tables[t].chains[c].rules.removeAll { rule in
                    let destination: String? = switch rule.target {
                    case .jump(let name), .goto(let name): name
                    default: nil
                    }
                    guard let destination, isFail2banChain(destination) else { return false }
                    ignored.jumps.append("\(tableName) \(rule.chain): \(ruleText(rule))")
                    return true
                }
            }
        }
        return copy
    }
}

extension Array where Element: Hashable {
    /// The elements in first-seen order without repeats.
    func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}
