/// The digest that tells a saved plan from a stale one: everything the probe read except what changes on its own.
enum FactsDigest {
    static func hex(_ facts: HostFacts) -> String {
        var stable = facts
        stable.rulesV4 = facts.rulesV4.map(withoutBans)
        stable.rulesV6 = facts.rulesV6.map(withoutBans)
        stable.network = facts.network?.withoutDrainState
        return Planner.digest(stable)
    }

    /// fail2ban adds and drops the rules of its own `f2b-*` chains at any time; a ban is not a change to the gateway
    /// that gwsetup plans, so it must not make a saved plan stale. The chains and the jumps into them still count.
    static func withoutBans(_ dump: String) -> String {
        dump.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("-A f2b-") }.joined(separator: "\n")
    }
}
