import Foundation
import Testing
@testable import GatewayKit

/// Real applies over SSH on loopback, with a desired state that only owns files in a temporary folder: the lock,
/// the atomic write, the daemon check and the backup all run for real without touching this machine's /etc.
@Suite("apply over SSH writes files atomically, checks them first, and holds the gateway's lock", .serialized)
final class ApplyOverSSHTests {
    let directory: String

    init() throws {
        directory = try Shell.temporaryDirectory()
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
        try? FileManager.default.removeItem(atPath: "/var/lib/gwsetup/backup" + directory)
    }

    /// A validator that wants the word "ok" in the file, like a daemon's config test.
    static let wantsOK = #"grep -q ok "$FILE" || { echo "$NAME: no ok in it" >&2; exit 3; }"#

    func desired(_ content: String) -> DesiredState {
        DesiredState(gateway: "gw1", packages: [], users: [],
                     files: [ManagedFile(path: "\(directory)/daemon.conf", content: content, mode: 0o640, validator: Self.wantsOK),
                             ManagedFile(path: "\(directory)/sub/other.conf", content: "other ok\n")],
                     sysctl: [], modules: [], fastdKeys: [], units: [])
    }

    func read(_ name: String) -> String? {
        FileManager.default.contents(atPath: "\(directory)/\(name)").map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func filesGoLiveWithTheirModeAndASecondRunFindsNothingToDo() async throws {
        let records = LogRecords()
        try await SSHServer.with { server in
            let transport = try server.transport()
            try await transport.connect()
            defer { Task { try? await transport.close() } }
            let applier = GatewayApplier(desired: desired("first ok\n"), logger: records.logger())
            let (facts, plan) = try await applier.plan(against: .transport(transport))
            #expect(plan.changes.map(\.resource) == ["\(directory)/daemon.conf", "\(directory)/sub/other.conf"])
            let report = try await applier.apply(plan, facts: facts, over: transport)
            #expect(report.succeeded)
            #expect(report.completed.map(\.step.title) == ["file \(directory)/daemon.conf", "file \(directory)/sub/other.conf",
                                                    "manifest \(OwnershipPolicy.gateway.manifestPath)"])
            #expect(read("daemon.conf") == "first ok\n" && read("sub/other.conf") == "other ok\n")
            let mode = try FileManager.default.attributesOfItem(atPath: "\(directory)/daemon.conf")[.posixPermissions] as? Int
            #expect(mode == 0o640)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["daemon.conf", "sub"], "a temp file was left behind")

            let before = transport.statistics.roundTrips
            let again = try await applier.plan(against: .transport(transport))
            #expect(again.plan.isEmpty)
            let noop = try await applier.apply(again.plan, facts: again.facts, over: transport)
            #expect(noop.completed.isEmpty)
            #expect(transport.statistics.roundTrips - before == 1, "a no-op apply is the probe and nothing else")

            let changed = GatewayApplier(desired: desired("second ok\n"), logger: records.logger())
            let next = try await changed.plan(against: .transport(transport))
            #expect(try await changed.apply(next.plan, facts: next.facts, over: transport).succeeded)
            #expect(read("daemon.conf") == "second ok\n")
            let backup = FileManager.default.contents(atPath: "/var/lib/gwsetup/backup\(directory)/daemon.conf")
            #expect(backup.map { String(decoding: $0, as: UTF8.self) } == "first ok\n", "the replaced file was not kept")
        }
        let steps = records.all.filter { $0.metadata[LogKey.step] == "file" }
        #expect(steps.contains { $0.metadata[LogKey.resource] == "\(directory)/daemon.conf" && $0.metadata[LogKey.outcome] == "changed" })
    }

    @Test func aFileItsDaemonRejectsNeverGoesLiveAndTheRunStopsThere() async throws {
        try "old ok\n".write(toFile: "\(directory)/daemon.conf", atomically: true, encoding: .utf8)
        try await SSHServer.with { server in
            let transport = try server.transport()
            try await transport.connect()
            defer { Task { try? await transport.close() } }
            let applier = GatewayApplier(desired: desired("rejected\n"), logger: .init(label: "test"))
            let (facts, plan) = try await applier.plan(against: .transport(transport))
            let report = try await applier.apply(plan, facts: facts, over: transport)
            let failure = try #require(report.failure)
            #expect(failure.step.title == "file \(directory)/daemon.conf")
            #expect(failure.status == 3)
            #expect(failure.stderr.contains("daemon.conf: no ok in it"), "the validator's stderr is what the user needs")
            #expect(report.completed.isEmpty)
            #expect(read("daemon.conf") == "old ok\n")
            #expect(read("sub/other.conf") == nil, "the run went on after a failed step")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["daemon.conf"], "the rejected candidate was left behind")
        }
    }

    @Test func aSecondConcurrentApplyIsRefusedNamingTheHolder() async throws {
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/bin/sh")
        holder.arguments = ["-c", "exec 9>>/run/gwsetup.lock && flock 9 && printf 'pid 4242, user tester, since 2026-12-01T14:00:00Z, gwsetup pid 1 on laptop' > /run/gwsetup.lock && echo held && exec sleep 60"]
        let pipe = Pipe()
        holder.standardOutput = pipe
        try holder.run()
        defer { holder.terminate(); holder.waitUntilExit() }
        _ = pipe.fileHandleForReading.availableData  // "held": the lock is taken
        try await SSHServer.with { server in
            let transport = try server.transport()
            try await transport.connect()
            defer { Task { try? await transport.close() } }
            let applier = GatewayApplier(desired: desired("first ok\n"), logger: .init(label: "test"))
            let (facts, plan) = try await applier.plan(against: .transport(transport))
            let error = await #expect(throws: ApplyError.self) { try await applier.apply(plan, facts: facts, over: transport) }
            #expect(error?.description == "ssh gwtest: another apply is running (pid 4242, user tester, since 2026-12-01T14:00:00Z, gwsetup pid 1 on laptop); wait for it to finish")
            #expect(read("daemon.conf") == nil)
        }
    }
}
