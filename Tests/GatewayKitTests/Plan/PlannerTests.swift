import Testing
@testable import GatewayKit

/// Facts of a gateway that already has exactly what `desired` asks for.
func convergedFacts(_ desired: DesiredState) -> HostFacts {
    var facts = HostFacts()
    for package in desired.packages { facts.packages[package] = "1.0" }
    facts.users = Set(desired.users.map(\.name))
    for key in desired.fastdKeys { facts.fastdPublicKeys[key.instance] = String(repeating: "a", count: 64) }
    facts.tincPublicKey = desired.tincKey.map { $0.publicKey ?? TincKeyFixtures.gatewayA }
    facts.wireguardPublicKeys = Dictionary(uniqueKeysWithValues: desired.wireguardKeys.map { ($0.role.rawValue, ExitFixture.gatewayKey) })
    for file in desired.files {
        facts.files[file.path] = FileFact(sha256: SHA256Digest.hex(file.content), mode: file.mode, owner: file.owner, group: file.group, content: file.content)
    }
    for setting in desired.sysctl { facts.sysctl[setting.key] = setting.value }
    facts.loadedModules = Set(desired.modules)
    for unit in desired.units { facts.units[unit.name] = UnitFact(enabled: true, active: true) }
    return facts
}

@Suite struct PlannerTests {
    let desired: DesiredState

    init() throws { desired = try desiredState(example: "single-gateway.yaml", gateway: "gw1") }

    @Test func aConvergedGatewayHasAnEmptyPlan() {
        #expect(Planner.plan(desired, against: convergedFacts(desired)).changes == [])
    }

    @Test func aChangedFileShowsItsDiffAndOwesItsRestartsOnlyOnce() throws {
        var facts = convergedFacts(desired)
        let path = "/etc/systemd/network/30-bat-ffx.netdev"
        let old = try #require(desired.file(path)).content.replacingOccurrences(of: "HopPenalty=60", with: "HopPenalty=15")
        facts.files[path] = FileFact(sha256: SHA256Digest.hex(old), mode: 0o644, owner: "root", group: "root", content: old)
        let plan = Planner.plan(desired, against: facts)
        #expect(plan.changes.map(\.resource) == [path, "restart systemd-networkd.service", "restart fastd@ffx.service"])
        let diff = try #require(plan.changes.first?.diff)
        #expect(diff.contains("-HopPenalty=15\n+HopPenalty=60"))
        #expect(plan.changes.first?.reason == "content differs")
    }

    @Test func aModeChangeAloneRestartsNothing() {
        var facts = convergedFacts(desired)
        facts.files["/etc/gwsetup/firewall/rules.v4"]?.mode = 0o644
        let plan = Planner.plan(desired, against: facts)
        #expect(plan.changes.count == 1)
        #expect(plan.changes.first?.reason == "mode 0644 → 0600")
    }

    @Test func restartsLeftPendingByAnInterruptedApplyAreStillOwed() {
        var facts = convergedFacts(desired)
        facts.pendingTriggers = [.restart("dnsmasq.service")]
        let plan = Planner.plan(desired, against: facts)
        #expect(plan.changes.map(\.resource) == ["restart dnsmasq.service"])
        #expect(plan.changes.first?.reason == "left pending by an interrupted apply")
    }

    @Test func aUnitStartedInThisRunIsNotAlsoRestarted() {
        var facts = convergedFacts(desired)
        facts.units["dnsmasq.service"] = UnitFact(enabled: true, active: false)
        let old = "port=0\n"
        facts.files["/etc/dnsmasq.d/gwsetup.conf"] = FileFact(sha256: SHA256Digest.hex(old), mode: 0o644, owner: "root", group: "root", content: old)
        let plan = Planner.plan(desired, against: facts)
        #expect(plan.changes.map(\.resource) == ["/etc/dnsmasq.d/gwsetup.conf", "dnsmasq.service"])
        #expect(plan.changes.last?.reason == "start")
    }

    @Test func secretsAreMaskedInDiffs() {
        let masked = SecretMask.mask("bind any:10000;\nsecret \"0123456789abcdef\";\n")
        #expect(masked == "bind any:10000;\nsecret \"(masked)\";\n")
    }

    @Test func digestsChangeWithTheFacts() {
        let facts = convergedFacts(desired)
        var other = facts
        other.loadedModules.remove("nf_conntrack")
        #expect(Planner.plan(desired, against: facts).factsDigest != Planner.plan(desired, against: other).factsDigest)
    }

    @Test func sha256MatchesKnownVectors() {
        #expect(SHA256Digest.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Digest.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Digest.hex(String(repeating: "a", count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
