extension Ruleset {
    /// The ruleset without counters and without defaults that some iptables versions print and others omit,
    /// so a desired ruleset and a live dump compare equal when the kernel would behave the same.
    ///
    /// Also puts tables in kernel order and user chains in name order (iptables versions differ in both), and
    /// drops tables that hold nothing (only empty ACCEPT built-in chains), which a live dump may list anyway.
    public var normalized: Ruleset {
        var copy = self
        let tableOrder = ["raw", "mangle", "nat", "filter", "security"]
        copy.tables.removeAll { table in
            table.chains.allSatisfy { $0.isBuiltin && $0.policy == .accept && $0.rules.isEmpty }
        }
        copy.tables.sort { (tableOrder.firstIndex(of: $0.name) ?? 99) < (tableOrder.firstIndex(of: $1.name) ?? 99) }
        for t in copy.tables.indices {
            let builtinOrder = BuiltinChains.byTable[copy.tables[t].name] ?? []
            copy.tables[t].chains.sort { a, b in
                switch (builtinOrder.firstIndex(of: a.name), builtinOrder.firstIndex(of: b.name)) {
                case let (x?, y?): x < y
                case (.some, nil): true
                case (nil, .some): false
                case (nil, nil): a.name < b.name
                }
            }
        }
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
