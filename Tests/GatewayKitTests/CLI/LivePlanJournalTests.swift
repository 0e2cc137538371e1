import Foundation
import Synchronization
import Testing
@testable import GatewayKit

/// The CLI bootstraps logging itself: a live run on a `local` gateway leaves structured records in journald.
@Suite("A live plan logs its probe step to journald with structured fields")
struct LivePlanJournalTests {
    @Test func aLivePlanOfALocalGatewayLogsItsProbeStep() async throws {
        let directory = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let site = "\(directory)/site.yaml"
        let example = try String(contentsOfFile: TestPaths.example("single-gateway.yaml"), encoding: .utf8)
        try example.replacingOccurrences(of: "ssh: root@gw1.ffx.example", with: "ssh: local").write(toFile: site, atomically: true, encoding: .utf8)
        let binary = TestPaths.gwsetupBinary
        // The probe only reads; the plan's exit status says whether it reached this host at all.
        let status = Mutex<Int32>(-1)
        let datagrams = try await JournalCapture.run {
            let result = try? Shell.run("'\(binary)' plan --site '\(site)' >/dev/null 2>&1")
            status.withLock { $0 = result?.status ?? -1 }
        }
        #expect(status.withLock { $0 } == 0, "gwsetup plan against this host failed")
        let probe = try #require(datagrams.first { $0["GWSETUP_STEP"] == "facts" }, "no facts record among \(datagrams.count) datagrams")
        #expect(probe["SYSLOG_IDENTIFIER"] == "gwsetup")
        #expect(probe["GWSETUP_GATEWAY"] == "local")
        #expect(probe["GWSETUP_OUTCOME"] == "ok")
        #expect(probe["GWSETUP_DURATION_MS"].flatMap(Int.init) != nil)
    }
}
