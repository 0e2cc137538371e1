import Foundation
import Testing
@testable import GatewayKit
import TestSupport

/// A site that drops the admin gwsetup logs in as is refused at plan time, before the apply could cut itself off.
@Suite struct RemovedLoginTests {
    /// A gateway whose manifest says gwsetup created `carol`, who still has an account there.
    final class CarolsHost: Transport {
        var describe: String { "ssh carol@gw1" }

        func run(_ script: String, stdin: Data, timeout: Duration) async throws -> CommandResult {
            let output = "\(ProbeScript.header)\nA\tcarol\t1001\nO\no\t{\"version\":1,\"users\":[\"carol\"]}\n\(ProbeScript.trailer)\n"
            return CommandResult(status: 0, stdout: Data(output.utf8), stderr: Data())
        }
    }

    func session(login: String) throws -> (GatewaySession, Gateway, String) {
        let directory = try Shell.temporaryDirectory()
        let text = try String(contentsOfFile: TestPaths.example("single-gateway.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "ssh: root@gw1.ffx.example", with: "ssh: \(login)@gw1.ffx.example")
        try text.write(toFile: directory + "/site.yaml", atomically: true, encoding: .utf8)
        let session = GatewaySession(pipeline: try SitePipeline(sitePath: directory + "/site.yaml", bundledTemplates: TestPaths.repository + "/Templates"))
        return (session, session.site.gateways[0], directory)
    }

    @Test func droppingTheLoginAdminIsRefusedNamingIt() async throws {
        let (session, gateway, directory) = try session(login: "carol")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(gateway.connection.loginUser == "carol")
        let error = await #expect(throws: RemovedLoginAdmin.self) { try await session.plan(gateway, against: .transport(CarolsHost())) }
        #expect(error?.description == "gw1: the site drops admin 'carol', the account gwsetup logs in as; log in as another admin (ssh: in the site) to remove it")
        await #expect(throws: RemovedLoginAdmin.self) {
            try await session.apply(gateway, confirm: ApplyConfirmation(available: true) { _, _ in true }, over: CarolsHost())
        }
    }

    @Test func droppingAnotherAdminIsPlanned() async throws {
        let (session, gateway, directory) = try session(login: "root")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (plan, _) = try await session.plan(gateway, against: .transport(CarolsHost()))
        #expect(plan.changes.contains { $0.action == .remove && $0.kind == .user && $0.resource == "carol" })
    }
}
