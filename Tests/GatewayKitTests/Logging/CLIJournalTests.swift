import Foundation
import Testing
@testable import GatewayKit
import TestSupport

@Suite("gwsetup logs each step to journald on a systemd host")
struct CLIJournalTests {
    @Test func renderLogsTheSiteItsGatewayAndEveryFileWritten() async throws {
        let output = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let site = TestPaths.example("single-gateway.yaml")
        let (status, datagrams) = try await JournalCapture.runProcess(
            TestPaths.gwsetupBinary, ["render", "--site", site, "--output", output])
        #expect(status == 0)
        let steps = datagrams.map { $0["GWSETUP_STEP"] ?? "" }
        #expect(steps.first == "load-site")
        #expect(datagrams.first?["GWSETUP_RESOURCE"] == "site:\(site)")
        #expect(datagrams.contains { $0["GWSETUP_STEP"] == "desired-state" && $0["GWSETUP_GATEWAY"] == "gw1" })
        let written = datagrams.filter { $0["GWSETUP_STEP"] == "render" }.compactMap { $0["GWSETUP_RESOURCE"] }
        let onDisk = try FileManager.default.subpathsOfDirectory(atPath: output).filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: output + "/" + path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
        #expect(Set(written) == Set(onDisk.map { "file:/" + $0 }), "one journal record per file written")
        #expect(datagrams.allSatisfy { $0["SYSLOG_IDENTIFIER"] == "gwsetup" })
    }

    @Test func offlinePlanLogsItsOutcomeAndAFailureIsLoggedAsAnError() async throws {
        let site = TestPaths.example("single-gateway.yaml")
        let (planStatus, planned) = try await JournalCapture.runProcess(TestPaths.gwsetupBinary, ["plan", "--offline", "--site", site])
        #expect(planStatus == 0)
        let plan = try #require(planned.first { $0["GWSETUP_STEP"] == "plan" })
        #expect(plan["GWSETUP_OUTCOME"] == "changes")
        #expect(plan["GWSETUP_GATEWAY"] == "gw1")

        let (failedStatus, failed) = try await JournalCapture.runProcess(TestPaths.gwsetupBinary, ["plan", "--offline", "--site", "/nonexistent/site.yaml"])
        #expect(failedStatus == 1)
        #expect(failed.contains { $0["PRIORITY"] == "3" && $0["GWSETUP_OUTCOME"] == "failed" && ($0["MESSAGE"] ?? "").contains("/nonexistent/site.yaml") })
    }
}
