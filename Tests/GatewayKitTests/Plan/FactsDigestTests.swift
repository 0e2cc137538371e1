import Testing
@testable import GatewayKit

/// fail2ban bans come and go on their own; a saved plan must go stale for a changed gwsetup rule, never for a ban.
@Suite struct FactsDigestTests {
    static func rules(input: [String], bans: [String]) -> String {
        (["#", "*filter", ":INPUT DROP [0:0]", ":f2b-sshd - [0:0]", "-A INPUT -p tcp -m multiport --dports 22 -j f2b-sshd"]
            + input.map { "-A INPUT \($0)" } + bans.map { "-A f2b-sshd \($0)" } + ["-A f2b-sshd -j RETURN", "COMMIT"])
            .joined(separator: "\n") + "\n"
    }

    static func facts(input: [String], bans: [String]) -> HostFacts {
        var facts = HostFacts.freshDebian12
        facts.rulesV4 = rules(input: input, bans: bans)
        facts.rulesV6 = rules(input: [], bans: bans.isEmpty ? [] : ["-s 2001:db8::7/128 -j REJECT --reject-with icmp6-port-unreachable"])
        return facts
    }

    static let accepted = ["-i lo -j ACCEPT", "-p tcp -m tcp --dport 22 -j ACCEPT"]

    @Test func aBanBetweenPlanAndApplyLeavesTheDigestAlone() throws {
        let desired = try desiredState(example: "single-gateway.yaml", gateway: "gw1")
        let before = Planner.plan(desired, against: Self.facts(input: Self.accepted, bans: []))
        let banned = Self.facts(input: Self.accepted, bans: ["-s 198.51.100.7/32 -j REJECT --reject-with icmp-port-unreachable"])
        #expect(Planner.plan(desired, against: banned).factsDigest == before.factsDigest)
        #expect(try SavedPlan(file: "p.json", plan: before).confirm(Planner.plan(desired, against: banned)) == Planner.plan(desired, against: banned))
    }

    @Test func aChangedGwsetupRuleMakesTheDigestDiffer() throws {
        let desired = try desiredState(example: "single-gateway.yaml", gateway: "gw1")
        let before = Planner.plan(desired, against: Self.facts(input: Self.accepted, bans: []))
        let changed = Self.facts(input: [Self.accepted[0]], bans: [])
        #expect(Planner.plan(desired, against: changed).factsDigest != before.factsDigest)
        #expect(throws: ApplyError.stalePlan(planFile: "p.json", gateway: "gw1", reason: "has changed")) {
            try SavedPlan(file: "p.json", plan: before).confirm(Planner.plan(desired, against: changed))
        }
    }
}
