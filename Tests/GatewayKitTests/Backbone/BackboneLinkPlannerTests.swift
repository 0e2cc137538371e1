import Testing
@testable import GatewayKit

/// The backbone's taps as live links: tinc-up joins each to bat-X, and one that is not there (tinc-up ran before
/// networkd made bat-X, or someone took it out) is planned back by restarting its tinc net.
@Suite struct BackboneLinkPlannerTests {
    let desired: DesiredState

    init() throws { desired = try BackboneFixture.desired("gwa") }

    func lines(_ plan: Plan) -> [String] {
        plan.changes.map { "\(PlanPrinter.symbol($0.action)) \($0.kind.rawValue) \($0.resource)  \($0.reason)" }
    }

    @Test func eachDomainsTapIsALinkOfItsBatmanInterface() throws {
        #expect(desired.meshLinks.map { [$0.backbone, $0.backboneUnit] } == [["tnc-north", "tinc@north.service"], ["tnc-south", "tinc@south.service"]])
        #expect(ProbeRequest(desired: desired).network?.links.contains("tnc-south") == true)
        #expect(Planner.plan(desired, against: convergedNetworkFacts(desired)).changes == [])
        let without = try BackboneFixture.desired("gwa", BackboneFixture.yaml(backbone: ""))
        #expect(without.meshLinks.allSatisfy { $0.backbone == nil })
    }

    @Test func aTapOutsideBatmanOrGoneRestartsItsNet() throws {
        var facts = convergedNetworkFacts(desired)
        facts.network?.links["tnc-north"]?.master = nil
        facts.network?.links["tnc-south"] = nil
        let plan = Planner.plan(desired, against: facts)
        #expect(lines(plan) == [
            "~ link tnc-north  master none → bat-north",
            "~ link tnc-south  missing",
            "! service restart tinc@north.service  tnc-north rejoins bat-north",
            "! service restart tinc@south.service  tnc-south rejoins bat-south",
        ])
        #expect(SavedPlanCheck.firstChangeOutside(desired, in: plan) == nil)
        let script = try ApplyScript(plan: plan, desired: desired, holder: "test")
        #expect(script.steps.map(\.title) == ["record-triggers 2 owed", "restart tinc@north.service", "restart tinc@south.service", "clear-triggers /var/lib/gwsetup/pending-triggers"])
        // A stopped net makes its tap when it starts in this run: no drift.
        facts.units["tinc@north.service"]?.active = false
        #expect(!lines(Planner.plan(desired, against: facts)).contains { $0.contains("tnc-north") && $0.hasPrefix("~") })
    }
}
