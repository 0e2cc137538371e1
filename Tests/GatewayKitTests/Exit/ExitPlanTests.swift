import Foundation
import Logging
import Testing
@testable import GatewayKit

/// The exit's key through plan, saved-plan check, apply script, probe, apply output and report: made once on the
/// gateway, its public half (never the private one) read back and printed for the exit server's peer list.
@Suite struct ExitPlanTests {
    /// gwa sends north's clients through the exit; gwb serves no carried domain.
    let gwa: DesiredState
    let gwb: DesiredState

    init() throws {
        gwa = try ExitFixture.desired("gwa")
        gwb = try ExitFixture.desired("gwb")
    }

    @Test func aGatewayWithoutAKeyPlansToMakeOneAndRestartsNetworkd() throws {
        var facts = convergedFacts(gwa)
        #expect(Planner.plan(gwa, against: facts).changes.isEmpty, "a gateway holding its key plans nothing")
        facts.wireguardPublicKeys = [:]
        let plan = Planner.plan(gwa, against: facts)
        let key = try #require(plan.changes.first { $0.kind == .wireguardKey })
        #expect(key.action == .add && key.resource == "/etc/gwsetup/wireguard/gw-exit.key")
        #expect(key.reason == "no exit tunnel key; generated on the gateway (wg genkey), never copied off it; apply prints its public half for the exit server's peer list")
        #expect(plan.changes.contains { $0.kind == .service && $0.triggers == [.restart("systemd-networkd.service")] },
                "networkd reads the key only when it creates gw-exit")
        #expect(SavedPlanCheck.firstChangeOutside(gwa, in: plan) == nil)
        let text = PlanPrinter(colors: false).render(plan, header: "gwa")
        #expect(text.contains("+ wireguard-key /etc/gwsetup/wireguard/gw-exit.key  no exit tunnel key"), "\(text)")
    }

    @Test func noKeyIsPlannedWhereNoClientUsesTheExit() throws {
        var facts = convergedFacts(gwb)
        facts.wireguardPublicKeys = [:]
        #expect(!Planner.plan(gwb, against: facts).changes.contains { $0.kind == .wireguardKey })
        let without = try ExitFixture.desired("gwa", ExitFixture.yaml(exit: "", gwaExitAddress: nil))
        #expect(!Planner.plan(without, against: convergedFacts(without)).changes.contains { $0.kind == .wireguardKey })
    }

    @Test func anOfflinePlanMakesTheKeyAsOnAFreshDroplet() async throws {
        let plan = try await GatewayApplier(desired: gwa, logger: Logger(label: "test")).plan(against: .offline).plan
        #expect(plan.changes.filter { $0.kind == .wireguardKey }.map(\.resource) == [WireGuardKey.privatePath(.exit)])
        #expect(try await !GatewayApplier(desired: gwb, logger: Logger(label: "test")).plan(against: .offline).plan.changes.contains { $0.kind == .wireguardKey })
    }

    /// A saved plan is refused when its exit-key change is not the one a fresh plan of this site would make.
    @Test func aSavedExitKeyChangeMustBeTheSitesOwn() throws {
        var facts = convergedFacts(gwa)
        facts.wireguardPublicKeys = [:]
        let plan = Planner.plan(gwa, against: facts)
        func forged(_ edit: (inout PlannedChange) -> Void) -> Plan {
            var forged = plan
            forged.changes = plan.changes.map { change in
                var change = change
                if change.kind == .wireguardKey { edit(&change) }
                return change
            }
            return forged
        }
        for bad in [forged { $0.resource = "/etc/shadow" }, forged { $0.resource = "/etc/gwsetup/wireguard/../../shadow" }, forged { $0.action = .remove }] {
            let refusal = SavedPlanCheck.firstChangeOutside(gwa, in: bad)
            #expect(refusal != nil && refusal?.contains("wireguard-key") == true, "\(String(describing: refusal))")
            // The script itself refuses too, for a plan that reaches it some other way.
            #expect(throws: ApplyError.self) { try ApplyScript(plan: bad, desired: gwa, holder: "test") }
        }
        // A restart the site never owes, smuggled onto the key: the script would not run it, but the saved plan is refused.
        #expect(SavedPlanCheck.firstChangeOutside(gwa, in: forged { $0.triggers = [.restart("ssh.service")] })?.contains("wireguard-key") == true)
        #expect(SavedPlanCheck.firstChangeOutside(gwb, in: plan) != nil, "gwb's site asks for no exit key")
        #expect(throws: ApplyError.self) { try ApplyScript(plan: plan, desired: gwb, holder: "test") }
    }

    @Test func theApplyScriptMakesTheKeyOnceAndPrintsOnlyItsPublicHalf() throws {
        var facts = convergedFacts(gwa)
        facts.wireguardPublicKeys = [:]
        let script = try ApplyScript(plan: Planner.plan(gwa, against: facts), desired: gwa, holder: "test")
        #expect(script.steps.map(\.title).contains("wireguard-key exit tunnel key"))
        #expect(script.script.contains("gw_wireguard_key() {"))
        #expect(script.script.contains("gw_wireguard_key '/etc/gwsetup/wireguard/gw-exit.key' 'exit'"))
        #expect(script.script.contains("printf '@wireguard\\t%s\\t%s\\n' \"$2\" \"$k\" >&8"), "only wg pubkey's output is printed")
        let none = try ApplyScript(plan: Planner.plan(gwa, against: convergedFacts(gwa)), desired: gwa, holder: "test")
        #expect(!none.script.contains("gw_wireguard_key"))
    }

    @Test func theReportedKeyIsCheckedAndPrinted() throws {
        let steps = [ApplyStep(kind: .wireguardKey, resource: "exit tunnel key")]
        let output = try ApplyOutputParser.parse("@done\t0\t80\n@wireguard\texit\t\(ExitFixture.gatewayKey)\n", steps: steps, gateway: "gwa")
        #expect(output.wireguardPublicKeys == ["exit": ExitFixture.gatewayKey])
        for garbage in ["AAAA", "\u{1B}[2J", String(ExitFixture.gatewayKey.dropLast(2)) + "V=", TincKeyFixtures.gatewayA] {
            #expect(throws: ApplyError.self) { try ApplyOutputParser.parse("@wireguard\texit\t\(garbage)\n", steps: steps, gateway: "gwa") }
        }
        var report = ApplyReport(gateway: "gwa", completed: [], failure: nil, publicKeys: [:])
        #expect(!ApplyReportPrinter(colors: false).render(report).contains("exit"))
        report.wireguardPublicKeys = ["exit": ExitFixture.gatewayKey]
        #expect(ApplyReportPrinter(colors: false).render(report).hasSuffix("exit public key of gwa: \(ExitFixture.gatewayKey)\n"))
    }

    @Test func theProbeAsksForThePublicHalfOnlyAndChecksIt() throws {
        let request = ProbeRequest(desired: gwa)
        #expect(request.wireguardKeys == [.exit] && ProbeRequest(desired: gwb).wireguardKeys.isEmpty)
        let script = ProbeScript.make(for: request)
        #expect(script.contains("k=$(wg pubkey < /etc/gwsetup/wireguard/gw-exit.key 2>/dev/null) && printf 'X\\texit\\t%s\\n' \"$k\""))
        #expect(!script.contains("cat /etc/gwsetup/wireguard/gw-exit.key"), "the private half never leaves the gateway")
        #expect(!ProbeScript.make(for: ProbeRequest(desired: gwb)).contains("gw-exit.key"))
        func parse(_ record: String, _ request: ProbeRequest = request) throws -> HostFacts {
            try ProbeOutputParser.parse([ProbeScript.header, record, ProbeScript.trailer].joined(separator: "\n") + "\n", request: request, gateway: "gwa")
        }
        #expect(try parse("X\texit\t\(ExitFixture.gatewayKey)").wireguardPublicKeys == ["exit": ExitFixture.gatewayKey])
        #expect(throws: ProbeError.self) { try parse("X\texit\tgarbage") }
        #expect(throws: ProbeError.self) { try parse("X\texit\t\(ExitFixture.gatewayKey)", ProbeRequest(desired: gwb)) }
        // Facts keep the key across a saved plan's round trip.
        var facts = convergedFacts(gwa)
        facts.wireguardPublicKeys = ["exit": ExitFixture.gatewayKey]
        #expect(try JSONDecoder().decode(HostFacts.self, from: JSONEncoder().encode(facts)).wireguardPublicKeys == ["exit": ExitFixture.gatewayKey])
    }
}

/// What dropping the exit takes away: the tunnel's files and interface, so no WireGuard link stays up unused; the key
/// stays for when the exit comes back.
@Suite struct ExitRemovalTests {
    @Test func droppingTheExitRemovesTheTunnelAndKeepsTheKey() throws {
        let gwa = try ExitFixture.desired("gwa")
        let without = try ExitFixture.desired("gwa", ExitFixture.yaml(exit: "", gwaExitAddress: nil))
        var facts = convergedFacts(gwa)
        facts.manifest = OwnershipManifest.after(Plan(gateway: "gwa", factsDigest: "", desiredDigest: "", changes: []), desired: gwa,
                                                 previous: OwnershipManifest(), policy: .gateway)
        #expect(facts.manifest.files.map(\.path).filter { $0.contains("gw-exit") } == [ExitDesiredStateTests.netdev, ExitDesiredStateTests.network])
        let plan = Planner.plan(without, against: facts)
        let removed = plan.changes.filter { $0.action == .remove }
        #expect(removed.map { "\($0.kind.rawValue) \($0.resource)" } == ["file \(ExitDesiredStateTests.netdev)", "file \(ExitDesiredStateTests.network)"])
        #expect(removed.first?.reason == "no longer in the site: deleted, and interface gw-exit with it")
        let script = try ApplyScript(plan: plan, desired: without, holder: "test",
                                     ownership: ApplyOwnership(plan: plan, desired: without, facts: facts, policy: .gateway))
        let titles = script.steps.map(\.title)
        #expect(titles.contains("remove-link gw-exit") && titles.contains { $0.hasPrefix("networkd-reload") }, "\(titles)")
        #expect(!titles.contains { $0.contains("gw-exit.key") })
    }

    @Test func onlyTheExitsOwnNetworkdNamesAreOwned() {
        let policy = OwnershipPolicy.gateway
        #expect(policy.ownsFile(ExitDesiredStateTests.netdev) && policy.ownsFile(ExitDesiredStateTests.network))
        for path in [WireGuardKey.privatePath(.exit), "/etc/systemd/network/40-gw-exit.conf", "/etc/systemd/network/40-gw-other.netdev",
                     "/etc/systemd/network/40-eth0.network", "/etc/systemd/network/99-gw-exit.netdev"] {
            #expect(!policy.ownsFile(path), "\(path)")
        }
    }
}
