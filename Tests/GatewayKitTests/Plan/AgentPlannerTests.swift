import Testing
@testable import GatewayKit

/// A shipped program is planned by its hash; a drained gateway's stopped DHCP server and radvd are intended.
@Suite struct AgentPlannerTests {
    static let hash = String(repeating: "ab", count: 32)

    func desired() -> DesiredState {
        var desired = DesiredState(gateway: "gw1", packages: [], users: [], files: [], sysctl: [], modules: [], fastdKeys: [],
                                   units: [ManagedUnit(name: "dnsmasq.service"), ManagedUnit(name: "radvd.service"), ManagedUnit(name: "chrony.service")])
        desired.binaries = [ManagedBinary(path: DesiredState.agentBinaryPath, sha256: Self.hash, source: "/tmp/agent", triggers: [.restart(DesiredState.agentUnit)])]
        return desired
    }

    func facts(binary: String?, mode: Int = 0o755, drained: Bool = false, active: Bool = true) -> HostFacts {
        var facts = HostFacts()
        if let binary { facts.files[DesiredState.agentBinaryPath] = FileFact(sha256: binary, mode: mode, owner: "root", group: "root", content: "") }
        for unit in ["dnsmasq.service", "radvd.service", "chrony.service"] { facts.units[unit] = UnitFact(enabled: true, active: active) }
        facts.network = LiveNetwork(drained: drained)
        return facts
    }

    @Test func aMissingProgramIsAddedAndItsUnitRestarted() {
        let plan = Planner.plan(desired(), against: facts(binary: nil))
        #expect(plan.changes.first?.kind == .binary && plan.changes.first?.action == .add && plan.changes.first?.digest == Self.hash)
        #expect(plan.changes.contains { $0.kind == .service && $0.triggers == [.restart(DesiredState.agentUnit)] })
    }

    @Test func theSameHashIsNoChangeAndAnotherIsOne() {
        #expect(Planner.plan(desired(), against: facts(binary: Self.hash)).changes.isEmpty)
        let other = Planner.plan(desired(), against: facts(binary: String(repeating: "cd", count: 32)))
        #expect(other.changes.map(\.kind) == [.binary, .service])
        let mode = Planner.plan(desired(), against: facts(binary: Self.hash, mode: 0o644))
        #expect(mode.changes.map(\.reason) == ["mode 0644 → 0755"], "a mode change restarts nothing")
    }

    @Test func aDrainedGatewaysStoppedDHCPAndRadvdAreIntendedButNothingElse() {
        #expect(Planner.plan(desired(), against: facts(binary: Self.hash, drained: true, active: false)).changes.map(\.resource) == ["chrony.service"])
        #expect(Planner.plan(desired(), against: facts(binary: Self.hash, drained: false, active: false)).changes.map(\.resource)
                == ["dnsmasq.service", "radvd.service", "chrony.service"])
    }

    @Test func aSavedPlanMayNameOnlyTheSitesProgramHash() {
        let plan = Planner.plan(desired(), against: facts(binary: nil))
        #expect(SavedPlanCheck.firstChangeOutside(desired(), in: plan) == nil)
        var other = desired()
        other.binaries[0].sha256 = String(repeating: "ef", count: 32)
        #expect(SavedPlanCheck.firstChangeOutside(other, in: plan) != nil)
    }
}
