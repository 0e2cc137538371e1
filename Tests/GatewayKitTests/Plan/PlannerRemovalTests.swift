import Testing
@testable import GatewayKit
import TestSupport

/// The `-` lines: what the manifest says gwsetup wrote and the site dropped, and nothing else.
@Suite struct PlannerRemovalTests {
    /// gw1 of the two-domain example (alice and bob, domains city and rural), and the same site without rural and bob.
    let before: DesiredState
    let after: DesiredState

    init() throws {
        let site = try SiteLoader.load(path: TestPaths.example("two-domains.yaml")).site
        var smaller = site
        smaller.domains.removeAll { $0.code == "rural" }
        smaller.access.admins.removeAll { $0.name == "bob" }
        for index in smaller.gateways.indices {
            smaller.gateways[index].domains.removeAll { $0.code == "rural" }
        }
        let renderer = TemplateRenderer(store: TemplateStore(bundledDirectory: TestPaths.repository + "/Templates"))
        before = try DesiredStateBuilder(site: site, renderer: renderer).build(for: try #require(site.gateway("gw1")))
        after = try DesiredStateBuilder(site: smaller, renderer: renderer).build(for: try #require(smaller.gateway("gw1")))
    }

    /// A gateway converged to `before` by gwsetup, whose manifest records it (bob and alice created by gwsetup).
    func convergedToBefore() -> HostFacts {
        var facts = convergedFacts(before)
        facts.users.insert("root")
        let created = Plan(gateway: "gw1", factsDigest: "", desiredDigest: "",
                           changes: before.users.map { PlannedChange(action: .add, kind: .user, resource: $0.name, reason: "") })
        facts.manifest = OwnershipManifest.after(created, desired: before, previous: OwnershipManifest(), policy: .gateway)
        return facts
    }

    func removals(_ plan: Plan) -> [String] {
        plan.changes.filter { $0.action == .remove }.map { "\($0.kind.rawValue) \($0.resource)" }
    }

    @Test func aRemovedAdminAndDomainArePlannedAwayAndCounted() {
        let plan = Planner.plan(after, against: convergedToBefore())
        #expect(removals(plan) == [
            "unit fastd@rural.service",
            "user bob",
            "file /etc/fastd/rural/fastd.conf",
            "file /etc/systemd/network/30-bat-rural.netdev", "file /etc/systemd/network/30-bat-rural.network",
            "file /etc/systemd/network/20-br-rural.netdev", "file /etc/systemd/network/20-br-rural.network",
            "file /home/bob/.ssh/authorized_keys",
            "fastd-key /etc/fastd/rural/secret.conf",
        ])
        #expect(plan.summary.remove == 9)
        #expect(plan.summaryText.contains("9 to destroy"))
        #expect(plan.changes.first { $0.kind == .user && $0.resource == "bob" }?.reason
            == "admin left the site: login locked, keys and sudo taken, account deleted")
        #expect(plan.changes.first { $0.resource == "/etc/systemd/network/30-bat-rural.netdev" }?.reason
            == "no longer in the site: deleted, and interface bat-rural with it")
        // What stays re-renders: sudoers without bob, dnsmasq and radvd without rural's sections, the firewall without its rules.
        let changed = Set(plan.changes.filter { $0.action == .change }.map(\.resource))
        #expect(changed.isSuperset(of: ["/etc/sudoers.d/gwsetup-admins", "/etc/dnsmasq.d/gwsetup.conf", "/etc/radvd.conf",
                                        DesiredState.firewallRulesPath(.ipv4), DesiredState.firewallRulesPath(.ipv6)]))
        let text = PlanPrinter(colors: false).render(plan, header: "gw1")
        #expect(text.contains("  - user "))
        #expect(text.contains("9 to destroy"))
    }

    @Test func aFileGwsetupReplacedIsRestoredNotDeleted() throws {
        var facts = convergedToBefore()
        let index = try #require(facts.manifest.files.firstIndex { $0.path == "/etc/systemd/network/20-br-rural.network" })
        facts.manifest.files[index].restore = true
        let change = try #require(Planner.plan(after, against: facts).changes.first { $0.resource == "/etc/systemd/network/20-br-rural.network" })
        #expect(change.action == .remove)
        #expect(change.reason == "no longer in the site: the original gwsetup replaced comes back from /var/lib/gwsetup/backup")
    }

    @Test func nothingIsPlannedForWhatTheManifestDoesNotClaim() {
        // Converged to `before`, but no manifest: files, units and accounts the site dropped are not gwsetup's to take.
        var facts = convergedFacts(before)
        facts.files["/etc/fastd/rural/peers/node1"] = FileFact(sha256: String(repeating: "1", count: 64), mode: 0o644, owner: "root", group: "root")
        #expect(removals(Planner.plan(after, against: facts)) == [])
    }

    @Test func aManifestAccountThatIsGoneOrASystemAccountIsLeftAlone() {
        var facts = convergedToBefore()
        facts.users.remove("bob")
        #expect(!removals(Planner.plan(after, against: facts)).contains("user bob"))
        facts.users.insert("bob")
        facts.systemAccounts["bob"] = 998
        #expect(!removals(Planner.plan(after, against: facts)).contains("user bob"))
    }

    @Test func theConvergedSmallerSiteHasAnEmptyPlan() {
        var facts = convergedFacts(after)
        facts.manifest = OwnershipManifest.after(Plan(gateway: "gw1", factsDigest: "", desiredDigest: "", changes: []), desired: after,
                                                 previous: convergedToBefore().manifest, policy: .gateway)
        #expect(facts.manifest.users == ["alice"])
        #expect(Planner.plan(after, against: facts).changes == [])
    }

    @Test func aSavedRemovalFitsOnlyWhatTheSiteDroppedAndGwsetupWrites() {
        let plan = Planner.plan(after, against: convergedToBefore())
        #expect(SavedPlanCheck.firstChangeOutside(after, in: plan) == nil)
        #expect(SavedPlanCheck.firstChangeOutside(before, in: plan) != nil, "a removal of what the site still has")
        for resource in ["/etc/passwd", "/etc/fastd/../shadow/fastd.conf", "/etc/fastd/rural/peers/node1"] {
            let forged = Plan(gateway: "gw1", factsDigest: plan.factsDigest, desiredDigest: plan.desiredDigest,
                              changes: [PlannedChange(action: .remove, kind: .file, resource: resource, reason: "x")])
            #expect(SavedPlanCheck.firstChangeOutside(after, in: forged) != nil, "\(resource)")
        }
        let root = Plan(gateway: "gw1", factsDigest: plan.factsDigest, desiredDigest: plan.desiredDigest,
                        changes: [PlannedChange(action: .remove, kind: .user, resource: "root", reason: "x")])
        #expect(SavedPlanCheck.firstChangeOutside(after, in: root) != nil)
    }
}
