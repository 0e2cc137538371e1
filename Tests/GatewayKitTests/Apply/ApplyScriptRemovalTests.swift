import Foundation
import Testing
@testable import GatewayKit

/// Removals run in a safe order, only on names the manifest claimed, and the manifest is rewritten last.
@Suite struct ApplyScriptRemovalTests {
    static let desired = DesiredState(
        gateway: "gw1", packages: [], users: [UserAccount(name: "alice", groups: ["sudo"])],
        files: [ManagedFile(path: "/etc/fastd/ffx/fastd.conf", content: "ffx\n", triggers: [.restart("fastd@ffx.service")]),
                ManagedFile(path: "/etc/sudoers.d/gwsetup-admins", content: "alice ALL=(ALL:ALL) NOPASSWD: ALL\n", mode: 0o440)],
        sysctl: [], modules: [], fastdKeys: [FastdKey(instance: "ffx", secretPath: "/etc/fastd/ffx/secret.conf")],
        units: [ManagedUnit(name: "systemd-networkd.service"), ManagedUnit(name: "fastd@ffx.service")])

    /// What gwsetup recorded when the site still had domain ffy and admin bob.
    static let previous = OwnershipManifest(
        users: ["alice", "bob"],
        files: [OwnedFile(path: "/etc/fastd/ffx/fastd.conf", restore: false), OwnedFile(path: "/etc/fastd/ffy/fastd.conf", restore: false),
                OwnedFile(path: "/etc/systemd/network/20-br-ffy.netdev", restore: false), OwnedFile(path: "/etc/systemd/network/20-br-ffy.network", restore: false),
                OwnedFile(path: "/etc/systemd/network/30-bat-ffy.netdev", restore: false), OwnedFile(path: "/etc/timezone", restore: true),
                OwnedFile(path: "/etc/sudoers.d/gwsetup-admins", restore: false), OwnedFile(path: "/home/bob/.ssh/authorized_keys", restore: true)],
        units: ["fastd@ffx.service", "fastd@ffy.service"],
        fastdSecrets: ["/etc/fastd/ffx/secret.conf", "/etc/fastd/ffy/secret.conf"])

    static func facts() -> HostFacts {
        var facts = convergedFacts(desired)
        facts.users.insert("bob")
        facts.files["/etc/sudoers.d/gwsetup-admins"]?.sha256 = String(repeating: "0", count: 64)
        facts.manifest = previous
        return facts
    }

    func script(_ plan: Plan, facts: HostFacts = facts()) throws -> ApplyScript {
        try ApplyScript(plan: plan, desired: Self.desired, holder: "test",
                        ownership: ApplyOwnership(plan: plan, desired: Self.desired, facts: facts, policy: .gateway))
    }

    @Test func unitsStopBeforeTheirFilesGoAndTheManifestIsWrittenLast() throws {
        let plan = Planner.plan(Self.desired, against: Self.facts())
        let script = try script(plan)
        #expect(script.steps.map(\.title) == [
            "file /etc/sudoers.d/gwsetup-admins",
            "stop-unit fastd@ffy.service",
            "remove-user bob",
            "remove-file /etc/fastd/ffy/fastd.conf",
            "remove-file /etc/systemd/network/20-br-ffy.netdev",
            "remove-file /etc/systemd/network/20-br-ffy.network",
            "remove-file /etc/systemd/network/30-bat-ffy.netdev",
            "restore-file /etc/timezone",
            "remove-file /home/bob/.ssh/authorized_keys",
            "remove-link bat-ffy",
            "remove-link br-ffy",
            "networkd-reload systemd-networkd",
            "remove-fastd-key /etc/fastd/ffy/secret.conf",
            "remove-directory /etc/fastd/ffy",
            "manifest /var/lib/gwsetup/manifest.json",
        ])
        #expect(script.script.contains("gw_restore_file '/etc/timezone' '/var/lib/gwsetup/backup/etc/timezone'"))
        #expect(script.script.contains("gw_remove_fastd_key '/etc/fastd/ffy/secret.conf' '/var/lib/gwsetup/backup/etc/fastd/ffy/secret.conf'"))
        let written = String(decoding: script.payload, as: UTF8.self)
        let manifest = OwnershipManifest.parse(String(written[try #require(written.range(of: "{\"fastd_secrets\"")).lowerBound...]),
                                               policy: .gateway, systemAccounts: [:], gateway: "gw1").0
        #expect(manifest.users == ["alice"])
        #expect(manifest.units == ["fastd@ffx.service"])
        #expect(manifest.files.map(\.path) == ["/etc/fastd/ffx/fastd.conf", "/etc/sudoers.d/gwsetup-admins"])
        #expect(script.script.contains("'/var/lib/gwsetup/manifest.json' '600' 'root' 'root'"))
    }

    @Test func gwsetupsOwnFileIsNotBackedUpButAFileItFoundIsOnce() throws {
        let plan = Planner.plan(Self.desired, against: Self.facts())
        #expect(try script(plan).script.contains("gw_file '/etc/sudoers.d/gwsetup-admins' '440' 'root' 'root' '0' '34' '\(SHA256Digest.hex("alice ALL=(ALL:ALL) NOPASSWD: ALL\n"))' '' ''"))
        var facts = Self.facts()
        facts.manifest.files.removeAll { $0.path == "/etc/sudoers.d/gwsetup-admins" }
        let found = Planner.plan(Self.desired, against: facts)
        #expect(try script(found, facts: facts).script.contains("'' '1'\n"), "the first overwrite of a file gwsetup did not write keeps its original")
        let next = ApplyOwnership(plan: found, desired: Self.desired, facts: facts, policy: .gateway).next
        #expect(next.file("/etc/sudoers.d/gwsetup-admins")?.restore == true)
    }

    @Test func aRemovalTheManifestDidNotClaimOrTheSiteKeepsIsRefused() throws {
        var facts = Self.facts()
        let plan = Planner.plan(Self.desired, against: facts)
        facts.manifest.units.removeAll { $0 == "fastd@ffy.service" }
        #expect(throws: ApplyError.self) { try script(plan, facts: facts) }
        let keeps = Plan(gateway: "gw1", factsDigest: plan.factsDigest, desiredDigest: plan.desiredDigest,
                         changes: [PlannedChange(action: .remove, kind: .unit, resource: "fastd@ffx.service", reason: "x")])
        #expect(throws: ApplyError.self) { try script(keeps) }
        let outside = Plan(gateway: "gw1", factsDigest: plan.factsDigest, desiredDigest: plan.desiredDigest,
                           changes: [PlannedChange(action: .remove, kind: .file, resource: "/etc/passwd", reason: "x")])
        var claimed = Self.facts()
        claimed.manifest.files.append(OwnedFile(path: "/etc/passwd", restore: false))
        #expect(throws: ApplyError.self) { try script(outside, facts: claimed) }
        #expect(throws: ApplyError.self) { try ApplyScript(plan: plan, desired: Self.desired, holder: "test") }
    }

    @Test func theRemovalFunctionsAreValidShell() throws {
        let plan = Planner.plan(Self.desired, against: Self.facts())
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("removal-\(UUID().uuidString).sh").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try script(plan).script.write(toFile: file, atomically: true, encoding: .utf8)
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/bin/sh")
        check.arguments = ["-n", file]
        try check.run()
        check.waitUntilExit()
        #expect(check.terminationStatus == 0)
    }
}
