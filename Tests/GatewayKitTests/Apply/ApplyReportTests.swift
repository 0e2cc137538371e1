import Testing
@testable import GatewayKit

/// The line a failed apply ends with names the gateway, the step, its status and the last thing its command said.
@Suite struct ApplyReportTests {
    @Test func aStoppedApplyEndsWithItsStepStatusAndLastStderrLine() {
        let step = ApplyStep(kind: .file, resource: "/etc/dnsmasq.conf")
        var report = ApplyReport(gateway: "gw1", completed: [], failure: nil, publicKeys: [:])
        #expect(report.failureLine == nil)
        report.failure = StepFailure(step: step, status: 3, stderr: "dnsmasq: bad option\n  line 4: typo  \n\n", milliseconds: 5)
        #expect(report.failureLine == "gw1: apply stopped at `file /etc/dnsmasq.conf` (status 3): line 4: typo")
        report.failure?.stderr = ""
        #expect(report.failureLine == "gw1: apply stopped at `file /etc/dnsmasq.conf` (status 3)")
    }
}
