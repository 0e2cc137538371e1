import Foundation
import Synchronization
import Testing
@testable import GatewayKit

/// The front door runs the steps in one order: these pin where it asks, where it stops, and that offline and
/// online plans come from the same path.
@Suite struct GatewaySessionTests {
    /// Answers every script with an empty probe (a host with nothing on it) and keeps the scripts it was given.
    final class EmptyHost: Transport {
        let scripts = Mutex<[String]>([])
        var describe: String { "ssh root@gw1" }

        func run(_ script: String, stdin: Data, timeout: Duration) async throws -> CommandResult {
            scripts.withLock { $0.append(script) }
            return CommandResult(status: 0, stdout: Data("\(ProbeScript.header)\n\(ProbeScript.trailer)\n".utf8), stderr: Data())
        }
    }

    static func session() throws -> (GatewaySession, Gateway) {
        let session = GatewaySession(pipeline: try examplePipeline("single-gateway.yaml"))
        return (session, session.site.gateways[0])
    }

    @Test func anOfflinePlanIsThePlanAgainstAFreshDebian12() async throws {
        let (session, gateway) = try Self.session()
        let (plan, against) = try await session.plan(gateway, against: .offline)
        #expect(plan == Planner.plan(try session.pipeline.desiredState(for: gateway), against: .freshDebian12))
        #expect(against == "a fresh Debian 12 (offline)")
    }

    @Test func anOnlinePlanIsOneProbeAndNothingElse() async throws {
        let (session, gateway) = try Self.session()
        let host = EmptyHost()
        let (plan, against) = try await session.plan(gateway, against: .transport(host))
        #expect(plan == Planner.plan(try session.pipeline.desiredState(for: gateway), against: HostFacts()))
        #expect(against == "ssh root@gw1")
        #expect(host.scripts.withLock { $0.count } == 1)
    }

    @Test func withoutATerminalToAskOnApplyStopsBeforeItConnects() async throws {
        let (session, gateway) = try Self.session()
        let host = EmptyHost()
        let nobody = ApplyConfirmation(available: false) { _, _ in Issue.record("asked without a terminal"); return true }
        await #expect(throws: ApplyError.confirmationNeeded) { try await session.apply(gateway, confirm: nobody, over: host) }
        #expect(host.scripts.withLock { $0.isEmpty })
    }

    @Test func anAnswerOtherThanYesChangesNothing() async throws {
        let (session, gateway) = try Self.session()
        let host = EmptyHost()
        let asked = Mutex<[String]>([])
        let no = ApplyConfirmation(available: true) { plan, where_ in asked.withLock { $0.append("\(plan.gateway) on \(where_)") }; return false }
        await #expect(throws: ApplyError.cancelled) { try await session.apply(gateway, confirm: no, over: host) }
        #expect(asked.withLock { $0 } == ["gw1 on ssh root@gw1"])
        #expect(host.scripts.withLock { $0.count } == 1, "only the probe ran")
    }
}
