import Foundation
import Testing
@testable import GatewayKit

/// Shipping a program over real SSH on loopback: it travels in the one apply's payload, arrives 0755 with its hash,
/// is compared by hash alone (the probe never reads its bytes back), and a rebuilt program plans a change.
/// Part of ApplyOverSSHTests, whose tests run one at a time: every apply takes the same gateway lock.
extension ApplyOverSSHTests {
    func binaryDesired(source: String) throws -> DesiredState {
        var desired = DesiredState(gateway: "gw1", packages: [], users: [], files: [], sysctl: [], modules: [], fastdKeys: [], units: [])
        desired.binaries = [ManagedBinary(path: "\(directory)/gateway/lib/gwsetup-agent")]
        return try AgentBinary.resolve(desired, candidates: [source])
    }

    /// A small ELF-looking program: the magic AgentBinary checks, then bytes no text file has.
    func writeProgram(_ path: String, seed: UInt8) throws {
        var bytes: [UInt8] = [0x7f, 0x45, 0x4c, 0x46]
        bytes += (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test func theAgentProgramArrives0755ByHashAndARebuildPlansAChange() async throws {
        let source = "\(directory)/build-gwsetup-agent"
        try writeProgram(source, seed: 1)
        let installed = "\(directory)/gateway/lib/gwsetup-agent"
        try await SSHServer.with { server in
            let transport = try server.transport()
            try await transport.connect()
            defer { Task { try? await transport.close() } }
            let applier = GatewayApplier(desired: try binaryDesired(source: source), logger: .init(label: "test"))
            let (facts, plan) = try await applier.plan(against: .transport(transport))
            #expect(plan.changes.map { "\($0.action) \($0.kind) \($0.resource)" } == ["add binary \(installed)"])
            let script = try ApplyScript(plan: plan, desired: applier.desired, holder: "test")
            #expect(!script.script.contains(source), "the program travels on stdin, not as a path")
            #expect(script.payload.count == 300_004)
            let report = try await applier.apply(plan, facts: facts, over: transport)
            #expect(report.succeeded, "\(report.failureLine ?? "")")
            #expect(FileManager.default.contents(atPath: installed) == FileManager.default.contents(atPath: source))
            #expect(try FileManager.default.attributesOfItem(atPath: installed)[.posixPermissions] as? Int == 0o755)
            let again = try await applier.plan(against: .transport(transport))
            #expect(again.plan.changes.isEmpty)
            #expect(again.facts.files[installed]?.content?.isEmpty != false, "the probe read the program's bytes back")

            try writeProgram(source, seed: 2)
            let rebuilt = GatewayApplier(desired: try binaryDesired(source: source), logger: .init(label: "test"))
            let change = try await rebuilt.plan(against: .transport(transport))
            #expect(change.plan.changes.map { "\($0.action) \($0.kind)" } == ["change binary"])
            #expect(change.plan.changes.first?.reason.hasPrefix("sha256 ") == true)
            // Rebuilt again after planning: apply refuses to send bytes the plan did not name.
            try writeProgram(source, seed: 3)
            #expect(throws: ApplyError.self) { try ApplyScript(plan: change.plan, desired: rebuilt.desired, holder: "test") }
        }
    }
}
