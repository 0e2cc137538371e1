import Foundation
import Testing
@testable import GatewayKit
import TestSupport

/// Taking over a fastd key over real SSH on loopback: the secret named by file arrives 0600 and is nowhere else.
/// Part of ApplyOverSSHTests, whose tests run one at a time: every apply takes the same gateway lock.
extension ApplyOverSSHTests {
    var secretPath: String { "\(directory)/gateway/fastd/tko/secret.conf" }

    func fastdDesired(publicKey: String?, secretFile: String?) -> DesiredState {
        DesiredState(gateway: "gw1", packages: [], users: [], files: [], sysctl: [], modules: [],
                     fastdKeys: [FastdKey(instance: "tko", secretPath: secretPath, publicKey: publicKey, secretFile: secretFile)], units: [])
    }

    @Test func theSecretArrives0600AndAppearsInNoOutputPlanFileOrLog() async throws {
        let key = try RealFastdKey.generate()
        let local = "\(directory)/admin-ffx.key"
        try "secret \"\(key.secret)\";\n".write(toFile: local, atomically: true, encoding: .utf8)
        let records = LogRecords()
        var texts: [String] = []
        try await SSHServer.with { server in
            let transport = try server.transport()
            try await transport.connect()
            defer { Task { try? await transport.close() } }
            let applier = GatewayApplier(desired: fastdDesired(publicKey: key.publicKey, secretFile: local), logger: records.logger())
            let (facts, plan) = try await applier.plan(against: .transport(transport))
            #expect(plan.changes.map(\.resource) == [secretPath, "restart fastd@tko.service"])
            #expect(plan.changes.first?.reason == "installs the site's secret file for fastd instance tko (public key \(key.publicKey))")
            texts.append(PlanPrinter(colors: false).render(plan, header: "gw1"))
            texts.append(String(decoding: try PlanCoding.encode([plan]), as: UTF8.self))
            let script = try ApplyScript(plan: plan, desired: applier.desired, holder: "test")
            texts.append(script.script)
            // Only the restart, which this test host cannot do, may fail; the key step comes first.
            let report = try await applier.apply(plan, facts: facts, over: transport)
            #expect(report.completed.map(\.step.title).first == "fastd-key tko")
            #expect(report.publicKeys["tko"] == key.publicKey)
            texts.append(ApplyReportPrinter(colors: false).render(report))
            texts.append(server.log)
        }
        let installed = try String(contentsOfFile: secretPath, encoding: .utf8)
        let arrived = installed == "secret \"\(key.secret)\";\n"
        #expect(arrived, "the gateway's secret file is not the admin's secret")
        let mode = try FileManager.default.attributesOfItem(atPath: secretPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        texts += records.all.map { record in record.message + " " + record.metadata.map { "\($0.key)=\($0.value)" }.joined(separator: " ") }
        // The texts are checked with grep, as an admin would look for the secret, and decided outside #expect.
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        for (index, text) in texts.enumerated() { try folder.write("output-\(index)", text) }
        let grep = try Shell.run("grep -rl \(key.secret) \(folder.path) || true")
        let leaked = !grep.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        #expect(!leaked, "the secret appears in: \(grep.output.replacingOccurrences(of: folder.path, with: ""))")
        #expect(texts.count >= 6)
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(directory)/gateway/fastd/tko") == ["secret.conf"], "a temp file was left behind")

        // Next plan: the gateway holds the pinned key, so nothing changes.
        try await SSHServer.with { server in
            let transport = try server.transport()
            try await transport.connect()
            defer { Task { try? await transport.close() } }
            let applier = GatewayApplier(desired: fastdDesired(publicKey: key.publicKey, secretFile: local), logger: records.logger())
            #expect(try await applier.plan(against: .transport(transport)).plan.changes.filter { $0.kind == .fastdKey }.isEmpty)
        }
    }

    @Test func aNamedSecretReplacesAnotherKeyAndTheOldSecretIsKeptInTheBackup() async throws {
        let held = try RealFastdKey.generate()
        let wanted = try RealFastdKey.generate()
        try FileManager.default.createDirectory(atPath: "\(directory)/gateway/fastd/tko", withIntermediateDirectories: true)
        try "secret \"\(held.secret)\";\n".write(toFile: secretPath, atomically: true, encoding: .utf8)
        let local = "\(directory)/admin-ffx.key"
        try "secret \"\(wanted.secret)\";\n".write(toFile: local, atomically: true, encoding: .utf8)
        try await SSHServer.with { server in
            let transport = try server.transport()
            try await transport.connect()
            defer { Task { try? await transport.close() } }
            let applier = GatewayApplier(desired: fastdDesired(publicKey: wanted.publicKey, secretFile: local), logger: .init(label: "test"))
            let (facts, plan) = try await applier.plan(against: .transport(transport))
            #expect(plan.changes.first?.action == .change)
            #expect(plan.changes.first?.reason.hasPrefix("the gateway holds public key \(held.publicKey); ") == true)
            let report = try await applier.apply(plan, facts: facts, over: transport)
            #expect(report.publicKeys["tko"] == wanted.publicKey)
        }
        let installed = try String(contentsOfFile: secretPath, encoding: .utf8) == "secret \"\(wanted.secret)\";\n"
        let kept = try String(contentsOfFile: "/var/lib/gwsetup/backup" + secretPath, encoding: .utf8) == "secret \"\(held.secret)\";\n"
        #expect(installed, "the named secret was not installed")
        #expect(kept, "the replaced secret was not kept in the backup folder")
        let mode = try FileManager.default.attributesOfItem(atPath: "/var/lib/gwsetup/backup" + secretPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func aGatewayHoldingAnotherKeyThanThePinStopsThePlanBeforeAnythingChanges() async throws {
        let held = try RealFastdKey.generate()
        let pinned = try RealFastdKey.generate()
        try FileManager.default.createDirectory(atPath: "\(directory)/gateway/fastd/tko", withIntermediateDirectories: true)
        try "secret \"\(held.secret)\";\n".write(toFile: secretPath, atomically: true, encoding: .utf8)
        try await SSHServer.with { server in
            let transport = try server.transport()
            try await transport.connect()
            defer { Task { try? await transport.close() } }
            let applier = GatewayApplier(desired: fastdDesired(publicKey: pinned.publicKey, secretFile: nil), logger: .init(label: "test"))
            let error = await #expect(throws: FastdKeyMismatch.self) { try await applier.plan(against: .transport(transport)) }
            #expect(error?.held == held.publicKey && error?.pinned == pinned.publicKey)
            #expect(error?.description.contains(held.publicKey) == true && error?.description.contains(pinned.publicKey) == true)
        }
        let kept = try String(contentsOfFile: secretPath, encoding: .utf8) == "secret \"\(held.secret)\";\n"
        #expect(kept, "the gateway's secret changed")
    }
}
