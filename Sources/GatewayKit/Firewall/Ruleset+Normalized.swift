extension Ruleset {
    /// The ruleset without counters and without defaults that some iptables versions print and others omit,
    /// so a desired ruleset and a live dump compare equal when the kernel would behave the same.
    public var normalized: Ruleset {
        var copy = self
        let allOnes = family == .ipv4 ? "255.255.255.255" : "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
        for t in copy.tables.indices {
            for c in copy.tables[t].chains.indices {
                copy.tables[t].chains[c].counters = nil
                for r in copy.tables[t].chains[c].rules.indices {
                    var rule = copy.tables[t].chains[c].rules[r]
                    rule.counters = nil
                    rule.matches = rule.matches.map { match in
                        guard case .module(var module) = match, module.name == "recent" else { return match }
                        // iptables ≥ 1.6 prints recent's default --mask; older versions do not.
                        module.options.removeAll { $0.name == "mask" && $0.value == allOnes }
                        return .module(module)
                    }
                    copy.tables[t].chains[c].rules[r] = rule
                }
            }
        }
        return copy
    }
}
