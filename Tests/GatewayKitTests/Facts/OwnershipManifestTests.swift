import Foundation
import Testing
@testable import GatewayKit
import TestSupport

/// The manifest lies on the gateway: only names gwsetup itself could have written survive reading it.
@Suite struct OwnershipManifestTests {
    func parse(_ text: String, systemAccounts: [String: Int] = [:]) -> (OwnershipManifest, [String]) {
        OwnershipManifest.parse(text, policy: .gateway, systemAccounts: systemAccounts, gateway: "gw1")
    }

    @Test func whatApplyWritesReadsBackTheSame() throws {
        let desired = try desiredState(example: "two-domains.yaml", gateway: "gw1")
        let plan = Plan(gateway: "gw1", factsDigest: "", desiredDigest: "", changes: [
            PlannedChange(action: .add, kind: .user, resource: "alice", reason: ""),
            PlannedChange(action: .add, kind: .user, resource: "bob", reason: ""),
            PlannedChange(action: .change, kind: .file, resource: "/etc/chrony/chrony.conf", reason: ""),
        ])
        let manifest = OwnershipManifest.after(plan, desired: desired, previous: OwnershipManifest(), policy: .gateway)
        #expect(manifest.users == ["alice", "bob"])
        #expect(manifest.units == ["fastd@city.service", "fastd@rural.service", "fail2ban.service", "vnstat.service"])
        #expect(manifest.fastdSecrets == ["/etc/fastd/city/secret.conf", "/etc/fastd/rural/secret.conf"])
        #expect(manifest.files.map(\.path) == desired.files.map(\.path), "every file the builder makes is one gwsetup owns")
        #expect(manifest.files.filter(\.restore).map(\.path) == ["/etc/chrony/chrony.conf"], "only the file this run overwrote")
        let (read, warnings) = parse(manifest.fileContent)
        #expect(read == manifest)
        #expect(warnings == [])
        #expect(manifest.fileContent.hasPrefix(#"{"fastd_secrets":["/etc/fastd/city/secret.conf""#))
    }

    @Test func anAccountThatWasThereBeforeIsNeverOwned() throws {
        let desired = try desiredState(example: "two-domains.yaml", gateway: "gw1")
        let plan = Plan(gateway: "gw1", factsDigest: "", desiredDigest: "", changes: [PlannedChange(action: .add, kind: .user, resource: "bob", reason: "")])
        #expect(OwnershipManifest.after(plan, desired: desired, previous: OwnershipManifest(), policy: .gateway).users == ["bob"])
        let later = OwnershipManifest.after(Plan(gateway: "gw1", factsDigest: "", desiredDigest: "", changes: []), desired: desired,
                                            previous: OwnershipManifest(users: ["bob"]), policy: .gateway)
        #expect(later.users == ["bob"], "a later run keeps what an earlier one created")
    }

    @Test func hostileEntriesAreDroppedAndNamed() {
        let text = #"""
            {"version": 1,
             "users": ["bob", "root", "daemon", "Bob", "bob;rm -rf /", "-oops", "../bob", 42, "alice", "bob"],
             "files": [{"path": "/etc/fastd/ffx/fastd.conf", "restore": false},
                       {"path": "/etc/passwd", "restore": true},
                       {"path": "/etc/fastd/../shadow/fastd.conf", "restore": false},
                       {"path": "/etc/fastd/ffx/../../shadow", "restore": false},
                       {"path": "/etc/fastd/ffx/peers/node1", "restore": false},
                       {"path": "//etc/radvd.conf", "restore": false},
                       {"path": "/etc/systemd/network/30-bat-ffx.netdev", "restore": "yes"},
                       {"path": "/etc/systemd/network/99-eth0.network", "restore": false},
                       {"path": "/etc/systemd/network/20-br-ffx.network", "restore": true},
                       {"path": "/home/root/.ssh/authorized_keys", "restore": false},
                       {"path": "/home/bob/.ssh/authorized_keys", "restore": false},
                       "/etc/radvd.conf"],
             "units": ["fastd@ffx.service", "ssh.service", "fastd@../x.service", "fastd@ffx.service;reboot", "vnstat.service"],
             "fastd_secrets": ["/etc/fastd/ffx/secret.conf", "/root/.ssh/id_ed25519", "/etc/fastd/ffx/fastd.conf"],
             "commands": ["reboot"]}
            """#
        let (manifest, warnings) = parse(text, systemAccounts: ["daemon": 1])
        #expect(manifest.users == ["bob", "alice"])
        #expect(manifest.files == [OwnedFile(path: "/etc/fastd/ffx/fastd.conf", restore: false),
                                   OwnedFile(path: "/etc/systemd/network/20-br-ffx.network", restore: true),
                                   OwnedFile(path: "/home/bob/.ssh/authorized_keys", restore: false)])
        #expect(manifest.units == ["fastd@ffx.service", "vnstat.service"])
        #expect(manifest.fastdSecrets == ["/etc/fastd/ffx/secret.conf"])
        #expect(warnings.contains("gw1: ignoring key 'commands' in /var/lib/gwsetup/manifest.json: not one gwsetup writes"))
        #expect(warnings.contains("gw1: ignoring 'root' in /var/lib/gwsetup/manifest.json: not an admin account gwsetup writes"))
        #expect(warnings.count == 12, "10 entry warnings, the rest counted in one line, and the unknown key: \(warnings)")
        #expect(warnings.last == "gw1: ignoring 11 more entries in /var/lib/gwsetup/manifest.json that gwsetup does not write")
    }

    @Test func aSystemAccountOfThisGatewayIsNeverOwned() {
        let (manifest, _) = parse(#"{"version": 1, "users": ["backupuser"]}"#, systemAccounts: ["backupuser": 34])
        #expect(manifest.users == [])
    }

    @Test(arguments: ["", "null", "[]", "{", #"{"version": 2, "users": ["bob"]}"#, #"{"users": ["bob"]}"#, #"{"version": "1", "users": ["bob"]}"#,
                      String(repeating: "[", count: 100_000), "{\"version\": 1, \"users\": [\"" + String(repeating: "a", count: 300_000) + "\"]}"])
    func aFileThatIsNotAManifestOwnsNothing(_ text: String) {
        let (manifest, warnings) = parse(text)
        #expect(manifest == OwnershipManifest())
        #expect(warnings.count == 1)
        #expect(warnings.first?.hasSuffix("; nothing is removed this run") == true)
    }

    @Test func theProbeReadsTheManifestAndItCountsForStaleness() throws {
        var request = ProbeRequest(files: [], units: [], sysctlKeys: [], modules: [], fastdKeys: [])
        #expect(!ProbeScript.make(for: request).contains("manifest.json"), "no policy, no manifest read")
        request.ownership = .gateway
        #expect(ProbeScript.make(for: request).contains("/var/lib/gwsetup/manifest.json"))
        let output = "gwsetup-probe 1\nO\no\t{\"version\": 1,\no\t \"users\": [\"bob\", \"root\"]}\n\ngwsetup-probe end\n"
        let facts = try ProbeOutputParser.parse(output, request: request, gateway: "gw1")
        #expect(facts.manifest.users == ["bob"])
        #expect(facts.warnings.count == 1)
        let without = try ProbeOutputParser.parse("gwsetup-probe 1\ngwsetup-probe end\n", request: request, gateway: "gw1")
        #expect(without.manifest == OwnershipManifest())
        #expect(FactsDigest.hex(facts) != FactsDigest.hex(without), "a changed manifest makes a saved plan stale")
        #expect(throws: ProbeError.self) { try ProbeOutputParser.parse("gwsetup-probe 1\no\t{}\ngwsetup-probe end\n", request: request, gateway: "gw1") }
    }

    @Test func theProbeSectionReadsARealFileThroughARealShell() async throws {
        let directory = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let policy = OwnershipPolicy(root: directory)
        var request = ProbeRequest(files: [], units: [], sysctlKeys: [], modules: [], fastdKeys: [])
        request.ownership = policy
        let manifest = OwnershipManifest(files: [OwnedFile(path: directory + "/etc/fastd/ffx/fastd.conf", restore: true)])
        try FileManager.default.createDirectory(atPath: directory + "/var/lib/gwsetup", withIntermediateDirectories: true)
        // No newline at the end, and a tab inside a value: the framing must hold either way.
        let text = manifest.fileContent.dropLast() + "\t"
        try String(text).write(toFile: policy.manifestPath, atomically: true, encoding: .utf8)
        let shell = LocalShell(root: .asIs)
        let result = try await shell.run(ProbeScript.make(for: request))
        let facts = try ProbeOutputParser.parse(result.stdoutText, request: request, gateway: "local")
        #expect(facts.manifest == manifest)
    }
}
