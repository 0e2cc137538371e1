import Foundation
import Logging
import Testing
@testable import GatewayKit

/// The backbone's key through plan, saved-plan check, apply script, apply output and report; and what dropping the
/// backbone takes away.
@Suite struct BackbonePlanTests {
    /// gwc: a backbone gateway whose key the site does not hold yet.
    let gwc: DesiredState
    let gwa: DesiredState

    init() throws {
        gwc = try BackboneFixture.desired("gwc")
        gwa = try BackboneFixture.desired("gwa")
    }

    @Test func aGatewayWithoutAKeyPlansToMakeOneOnItselfAndRestartsItsNets() throws {
        var facts = convergedFacts(gwc)
        facts.tincPublicKey = nil
        let plan = Planner.plan(gwc, against: facts)
        let key = try #require(plan.changes.first { $0.kind == .tincKey })
        #expect(key.action == .add && key.resource == "/etc/tinc/gwsetup-rsa_key.priv")
        #expect(key.reason == "no tinc host key; generated on the gateway (tincd -K), never copied off it; apply prints its public half for the site's tinc_public_key")
        #expect(plan.changes.contains { $0.kind == .service && $0.triggers == [.restart("tinc@north.service")] })
        #expect(SavedPlanCheck.firstChangeOutside(gwc, in: plan) == nil)
        #expect(SavedPlanCheck.firstChangeOutside(try BackboneFixture.desired("gwc", BackboneFixture.yaml(backbone: "")), in: plan) != nil,
                "a saved tinc-key change is refused for a site without backbone")
        let text = PlanPrinter(colors: false).render(plan, header: "gwc")
        #expect(text.contains("+ tinc-key /etc/tinc/gwsetup-rsa_key.priv  no tinc host key"), "\(text)")
        // Once it holds one, nothing more is planned for the key.
        facts.tincPublicKey = TincKeyFixtures.gatewayB
        #expect(!Planner.plan(gwc, against: facts).changes.contains { $0.kind == .tincKey })
        try TincKeyCheck.check(gwc, against: facts)
    }

    @Test func aKeyOtherThanTheSitesIsRefusedAtPlan() throws {
        var facts = convergedFacts(gwa)
        try TincKeyCheck.check(gwa, against: facts)
        #expect(!Planner.plan(gwa, against: facts).changes.contains { $0.kind == .tincKey }, "the site names the key: never a new one")
        facts.tincPublicKey = TincKeyFixtures.gatewayB
        let other = #expect(throws: TincKeyMismatch.self) { try TincKeyCheck.check(gwa, against: facts) }
        #expect(other?.description == "gwa: the gateway's tinc host key (MIIBCgKCAQEA9Cb0FywYzs1q…) is not the site's tinc_public_key "
            + "(MIIBCgKCAQEAuQgEWn4kIBNk…); put the gateway's key in the site, or drop tinc_public_key, move /etc/tinc/gwsetup-rsa_key.priv away and apply to make a new one")
        facts.tincPublicKey = nil
        let none = #expect(throws: TincKeyMismatch.self) { try TincKeyCheck.check(gwa, against: facts) }
        #expect(none?.description == "gwa: the gateway has no tinc host key, but the site names the site's tinc_public_key (MIIBCgKCAQEAuQgEWn4kIBNk…); "
            + "drop tinc_public_key to let gwsetup generate one, then put the key apply prints in the site")
    }

    @Test func anOfflinePlanAssumesTheSitesKeyIsInPlace() async throws {
        let applier = GatewayApplier(desired: gwa, logger: Logger(label: "test"))
        let plan = try await applier.plan(against: .offline).plan
        #expect(!plan.changes.contains { $0.kind == .tincKey })
        #expect(try await GatewayApplier(desired: gwc, logger: Logger(label: "test")).plan(against: .offline).plan.changes.contains { $0.kind == .tincKey })
    }

    /// A gateway whose probe shows the host key `key` (nil: none).
    final class KeyHost: Transport {
        let key: String?
        init(key: String?) { self.key = key }
        var describe: String { "ssh root@gwa" }

        func run(_ script: String, stdin: Data, timeout: Duration) async throws -> CommandResult {
            let output = "\(ProbeScript.header)\n" + (key.map { "Y\t\($0)\n" } ?? "") + "\(ProbeScript.trailer)\n"
            return CommandResult(status: 0, stdout: Data(output.utf8), stderr: Data())
        }
    }

    @Test func planOverATransportChecksTheHeldKeyBeforeAnythingElse() async throws {
        let applier = GatewayApplier(desired: gwa, logger: Logger(label: "test"))
        await #expect(throws: TincKeyMismatch.self) { try await applier.plan(against: .transport(KeyHost(key: TincKeyFixtures.gatewayB))) }
        await #expect(throws: TincKeyMismatch.self) { try await applier.plan(against: .transport(KeyHost(key: nil))) }
        let (facts, plan) = try await applier.plan(against: .transport(KeyHost(key: TincKeyFixtures.gatewayA)))
        #expect(facts.tincPublicKey == TincKeyFixtures.gatewayA && !plan.changes.contains { $0.kind == .tincKey })
    }

    @Test func theApplyScriptMakesTheKeyOnceAndPrintsOnlyItsPublicHalf() throws {
        var facts = convergedFacts(gwc)
        facts.tincPublicKey = nil
        let plan = Planner.plan(gwc, against: facts)
        let script = try ApplyScript(plan: plan, desired: gwc, holder: "test")
        #expect(script.steps.map(\.title).contains("tinc-key gateway host key"))
        #expect(script.script.contains("gw_tinc_key() {"))
        #expect(script.script.contains("gw_tinc_key '/etc/tinc/gwsetup-rsa_key.priv' '/etc/tinc/gwsetup-rsa_key.pub'"))
        // A plan whose tinc key the site does not ask for never reaches the gateway.
        var forged = plan
        forged.changes = plan.changes.map { change in
            var change = change
            if change.kind == .tincKey { change.resource = "/etc/shadow" }
            return change
        }
        #expect(throws: ApplyError.self) { try ApplyScript(plan: forged, desired: gwc, holder: "test") }
        #expect(throws: ApplyError.self) { try ApplyScript(plan: plan, desired: try BackboneFixture.desired("gwc", BackboneFixture.yaml(backbone: "")), holder: "test") }
        let none = try ApplyScript(plan: Planner.plan(gwa, against: convergedFacts(gwa)), desired: gwa, holder: "test")
        #expect(!none.script.contains("gw_tinc_key"))
    }

    @Test func theReportedKeyIsCheckedAndPrinted() throws {
        let steps = [ApplyStep(kind: .tincKey, resource: "gateway host key")]
        let output = try ApplyOutputParser.parse("@done\t0\t120\n@tinc\t\(TincKeyFixtures.gatewayB)\n", steps: steps, gateway: "gwc")
        #expect(output.tincPublicKey == TincKeyFixtures.gatewayB)
        #expect(throws: ApplyError.self) { try ApplyOutputParser.parse("@tinc\tAAAA\n", steps: steps, gateway: "gwc") }
        #expect(throws: ApplyError.self) { try ApplyOutputParser.parse("@tinc\t\u{1B}[2J\n", steps: steps, gateway: "gwc") }
        var report = ApplyReport(gateway: "gwc", completed: [], failure: nil, publicKeys: [:])
        #expect(!ApplyReportPrinter(colors: false).render(report).contains("tinc"))
        report.tincPublicKey = TincKeyFixtures.gatewayB
        #expect(ApplyReportPrinter(colors: false).render(report).hasSuffix("tinc public key of gwc: \(TincKeyFixtures.gatewayB)\n"))
    }

    @Test func theProbeAsksForThePublicHalfOnlyAndChecksIt() throws {
        let request = ProbeRequest(desired: gwc)
        let without = ProbeRequest(desired: try BackboneFixture.desired("gwc", BackboneFixture.yaml(backbone: "")))
        #expect(request.tincKey && !without.tincKey)
        let script = ProbeScript.make(for: request)
        #expect(script.contains("[ -s /etc/tinc/gwsetup-rsa_key.priv ] && [ -s /etc/tinc/gwsetup-rsa_key.pub ] && printf 'Y\\t%s\\n'"))
        #expect(!script.contains("cat /etc/tinc/gwsetup-rsa_key.priv") && !script.contains("< /etc/tinc/gwsetup-rsa_key.priv"))
        func parse(_ record: String) throws -> HostFacts {
            try ProbeOutputParser.parse([ProbeScript.header, record, ProbeScript.trailer].joined(separator: "\n") + "\n", request: request, gateway: "gwc")
        }
        #expect(try parse("Y\t\(TincKeyFixtures.gatewayA)").tincPublicKey == TincKeyFixtures.gatewayA)
        #expect(throws: ProbeError.self) { try parse("Y\t\(TincKeyFixtures.short)") }
        #expect(throws: ProbeError.self) { try parse("Y\tnot base64!") }
        var other = request
        other.tincKey = false
        #expect(throws: ProbeError.self) {
            try ProbeOutputParser.parse([ProbeScript.header, "Y\t\(TincKeyFixtures.gatewayA)", ProbeScript.trailer].joined(separator: "\n") + "\n",
                                        request: other, gateway: "gwc")
        }
    }

    @Test func droppingTheBackboneStopsItsNetsAndRemovesTheirFilesAndFolders() throws {
        let without = try BackboneFixture.desired("gwa", BackboneFixture.yaml(backbone: ""))
        var facts = convergedFacts(gwa)
        let created = Plan(gateway: "gwa", factsDigest: "", desiredDigest: "", changes: [])
        facts.manifest = OwnershipManifest.after(created, desired: gwa, previous: OwnershipManifest(), policy: .gateway)
        #expect(facts.manifest.units.filter { $0.hasPrefix("tinc") } == ["tinc@north.service", "tinc@south.service"])
        let plan = Planner.plan(without, against: facts)
        let removed = plan.changes.filter { $0.action == .remove }.map { "\($0.kind.rawValue) \($0.resource)" }
        #expect(removed == [
            "unit tinc@north.service", "unit tinc@south.service",
            "file /etc/tinc/north/tinc.conf", "file /etc/tinc/north/tinc-up", "file /etc/tinc/north/tinc-down",
            "file /etc/tinc/north/hosts/gwa", "file /etc/tinc/north/hosts/gw_b",
            "file /etc/tinc/south/tinc.conf", "file /etc/tinc/south/tinc-up", "file /etc/tinc/south/tinc-down",
            "file /etc/tinc/south/hosts/gwa", "file /etc/tinc/south/hosts/gw_b",
        ])
        let script = try ApplyScript(plan: plan, desired: without, holder: "test",
                                     ownership: ApplyOwnership(plan: plan, desired: without, facts: facts, policy: .gateway))
        let titles = script.steps.map(\.title)
        #expect(titles.filter { $0.hasPrefix("stop-unit") || $0.hasPrefix("remove-directory") } == [
            "stop-unit tinc@north.service", "stop-unit tinc@south.service",
            "remove-directory /etc/tinc/north/hosts", "remove-directory /etc/tinc/north",
            "remove-directory /etc/tinc/south/hosts", "remove-directory /etc/tinc/south",
        ])
        #expect(try #require(titles.firstIndex(of: "stop-unit tinc@north.service")) < (titles.firstIndex(of: "remove-file /etc/tinc/north/tinc.conf") ?? -1))
        #expect(!titles.contains { $0.contains("gwsetup-rsa_key") }, "the host key stays for when the backbone comes back")
    }

    @Test func aGatewayLeavingTheSiteLosesItsHostFileOnTheOthers() throws {
        var facts = convergedFacts(gwa)
        facts.manifest = OwnershipManifest.after(Plan(gateway: "gwa", factsDigest: "", desiredDigest: "", changes: []), desired: gwa,
                                                 previous: OwnershipManifest(), policy: .gateway)
        var site = try BackboneFixture.site()
        site.gateways.removeAll { $0.name == "gw-b" }
        let smaller = try DesiredStateBuilder(site: site, renderer: BackboneFixture.renderer).build(for: site.gateway("gwa")!)
        let plan = Planner.plan(smaller, against: facts)
        #expect(plan.changes.filter { $0.action == .remove }.map(\.resource) == ["/etc/tinc/north/hosts/gw_b", "/etc/tinc/south/hosts/gw_b"])
        #expect(plan.changes.contains { $0.resource == "/etc/tinc/north/tinc.conf" && $0.triggers == [.restart("tinc@north.service")] },
                "its ConnectTo goes too")
    }
}
