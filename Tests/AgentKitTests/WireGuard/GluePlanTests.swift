import Testing
@testable import AgentKit

/// The decision alone: which nodes are flooded and routed, which are pruned, and the exact commands for each.
@Suite struct GluePlanTests {
    typealias S = GlueSamples

    func plan(handshakes: String = S.handshakes, allowedIPs: String = S.allowedIPs, flood: String = S.flood,
              routes: String = S.routes, now: Int = S.now) throws -> GluePlan {
        GluePlan(link: S.link, peers: WireGuardPeers(handshakes: handshakes, allowedIPs: allowedIPs),
                 flood: try #require(FloodEntries(json: flood)), routes: try #require(NodeRoutes(json: routes, wireguard: "wg-ffx")), now: now)
    }

    func commands(_ nodes: [GluePlan.NodeChange]) -> [String] {
        nodes.flatMap(\.changes).map { $0.arguments(link: S.link).joined(separator: " ") }
    }

    /// A (12 s) is fresh; B (400 s) is stale; C never shook hands; D is fresh but has no /128 link-local allowed IP;
    /// e has a forwarding entry and f a route but no peer has them.
    @Test func samplesAddTheFreshNodeAndPruneTheRest() throws {
        let plan = try plan()
        #expect(plan.additions.map(\.address.description) == ["fe80::a"])
        #expect(plan.additions[0].publicKey == S.keyA && plan.additions[0].reason == "handshake 12 s ago")
        #expect(commands(plan.additions) == [
            "bridge fdb append 00:00:00:00:00:00 dev vx-ffx dst fe80::a via wg-ffx",
            "ip -6 route replace fe80::a/128 dev wg-ffx proto static",
        ])
        #expect(plan.removals.map(\.address.description) == ["fe80::b", "fe80::e", "fe80::f"])
        #expect(plan.removals.map(\.reason) == ["last handshake 400 s ago", "no peer has this address any more", "no peer has this address any more"])
        #expect(plan.removals.map(\.publicKey) == [S.keyB, nil, nil])
        #expect(commands(plan.removals) == [
            "bridge fdb delete 00:00:00:00:00:00 dev vx-ffx dst fe80::b via wg-ffx",
            "ip -6 route delete fe80::b/128 dev wg-ffx proto static",
            "bridge fdb delete 00:00:00:00:00:00 dev vx-ffx dst fe80::e",
            "ip -6 route delete fe80::f/128 dev wg-ffx proto static",
        ])
    }

    @Test func aNodeInStepNeedsNothing() throws {
        let plan = try plan(flood: #"[{"mac":"00:00:00:00:00:00","dst":"fe80::a","viaIf":"wg-ffx","flags":["self"],"state":"permanent"}]"#,
                            routes: #"[{"dst":"fe80::a","metric":1024,"flags":[],"pref":"medium"}]"#)
        #expect(plan.additions.isEmpty && plan.removals.isEmpty)
    }

    @Test func theHandshakeAgeIsInclusiveOfPruneAfter() throws {
        let atLimit = try plan(handshakes: "\(S.keyB)\t\(S.now - 300)\n", allowedIPs: "\(S.keyB)\tfe80::b/128\n", flood: "[]", routes: "[]")
        #expect(atLimit.additions.map(\.address.description) == ["fe80::b"])
        let past = try plan(handshakes: "\(S.keyB)\t\(S.now - 301)\n", allowedIPs: "\(S.keyB)\tfe80::b/128\n", flood: "[]", routes: "[]")
        #expect(past.additions.isEmpty && past.removals.isEmpty)
    }

    @Test func aNodeThatNeverShookHandsIsPruned() throws {
        let plan = try plan(handshakes: "\(S.keyC)\t0\n", allowedIPs: "\(S.keyC)\tfe80::c/128\n",
                            flood: #"[{"mac":"00:00:00:00:00:00","dst":"fe80::c","viaIf":"wg-ffx"}]"#, routes: "[]")
        #expect(plan.removals.map(\.reason) == ["no handshake yet"])
        #expect(commands(plan.removals) == ["bridge fdb delete 00:00:00:00:00:00 dev vx-ffx dst fe80::c via wg-ffx"])
    }

    @Test func aHandshakeFromTheFutureCountsAsFresh() throws {
        let plan = try plan(handshakes: "\(S.keyA)\t\(S.now + 50)\n", allowedIPs: "\(S.keyA)\tfe80::a/128\n", flood: "[]", routes: "[]")
        #expect(plan.additions.map(\.reason) == ["handshake 0 s ago"])
    }

    @Test func anEntryThroughAnotherInterfaceIsReplaced() throws {
        let plan = try plan(handshakes: "\(S.keyA)\t\(S.now - 1)\n", allowedIPs: "\(S.keyA)\tfe80::a/128\n",
                            flood: #"[{"mac":"00:00:00:00:00:00","dst":"fe80::a"},{"mac":"00:00:00:00:00:00","dst":"fe80::a","viaIf":"wg-old"}]"#,
                            routes: #"[{"dst":"fe80::a"}]"#)
        #expect(commands(plan.additions) == [
            "bridge fdb delete 00:00:00:00:00:00 dev vx-ffx dst fe80::a",
            "bridge fdb delete 00:00:00:00:00:00 dev vx-ffx dst fe80::a via wg-old",
            "bridge fdb append 00:00:00:00:00:00 dev vx-ffx dst fe80::a via wg-ffx",
        ])
    }

    @Test func learnedEntriesAndOtherAddressesAreLeftAlone() throws {
        let plan = try plan(handshakes: "", allowedIPs: "",
                            flood: #"[{"mac":"02:11:22:33:44:55","dst":"fe80::99","viaIf":"wg-ffx"},{"mac":"00:00:00:00:00:00","dst":"ff02::15c"}]"#,
                            routes: #"[{"dst":"2001:db8::1"},{"dst":"fe80::/64"}]"#)
        #expect(plan.additions.isEmpty && plan.removals.isEmpty)
    }

    @Test func onlyLinkLocalHostAllowedIPsAreNodes() throws {
        let plan = try plan(handshakes: "\(S.keyD)\t\(S.now - 1)\n",
                            allowedIPs: "\(S.keyD)\t10.0.0.4/32 2001:db8::4/128 fe80::/64 fec0::4/128 fe80::4/128\n", flood: "[]", routes: "[]")
        #expect(plan.additions.map(\.address.description) == ["fe80::4"])
    }

    @Test func aPeerWithTwoNodeAddressesGetsBoth() throws {
        let plan = try plan(handshakes: "\(S.keyA)\t\(S.now - 1)\n", allowedIPs: "\(S.keyA)\tfe80::a2/128 fe80::a1/128\n", flood: "[]", routes: "[]")
        #expect(plan.additions.map(\.address.description) == ["fe80::a1", "fe80::a2"])
    }
}
