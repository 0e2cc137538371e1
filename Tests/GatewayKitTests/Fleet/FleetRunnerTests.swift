import Synchronization
import Testing
@testable import GatewayKit
@testable import FirewallKit

/// Counts how many jobs run at once, so the `--parallel` bound is observable.
private final class ConcurrencyProbe: Sendable {
    private let state = Mutex<(running: Int, peak: Int, started: [String])>((0, 0, []))

    func enter(_ gateway: String) {
        state.withLock { state in
            state.running += 1
            state.peak = max(state.peak, state.running)
            state.started.append(gateway)
        }
    }

    func leave() { state.withLock { $0.running -= 1 } }
    var peak: Int { state.withLock { $0.peak } }

    /// Waits until `count` jobs have run at once (or a generous deadline passes), so overlap never depends on timing.
    func waitForPeak(_ count: Int) async {
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        while peak < count && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(2)) }
    }
    var started: [String] { state.withLock { $0.started } }
}

@Suite("Fleet runs: every gateway, bounded parallelism, worst exit status")
struct FleetRunnerTests {
    let gateways = (1...7).map { "gw\($0)" }

    @Test(arguments: [1, 3, 10])
    func neverRunsMoreThanParallelAtOnceAndRunsEveryGateway(parallel: Int) async {
        let probe = ConcurrencyProbe()
        let results = await FleetRunner(parallel: parallel).run(gateways) { gateway in
            probe.enter(gateway)
            await probe.waitForPeak(min(parallel, 7))
            probe.leave()
            return (.unchanged, "\(gateway) done\n")
        }
        #expect(probe.peak <= parallel)
        #expect(probe.peak == min(parallel, gateways.count), "the bound is also reached, not just respected")
        #expect(Set(probe.started) == Set(gateways))
        #expect(results.map(\.gateway) == gateways, "results come back in site order")
        #expect(results.map(\.output) == gateways.map { "\($0) done\n" }, "each gateway's output stays its own")
    }

    @Test func oneFailingGatewayDoesNotStopTheOthers() async {
        let results = await FleetRunner(parallel: 2).run(gateways) { gateway in
            gateway == "gw2" ? (.failed("ssh: connection refused"), "") : (.changed("1 to add"), "")
        }
        #expect(results.filter(\.failed).map(\.gateway) == ["gw2"])
        #expect(results.filter { $0.outcome == .changed("1 to add") }.count == 6)
        #expect(FleetSummary(results).exitStatus(detailed: true) == 1)
    }

    @Test func failFastStartsNoFurtherGatewayAfterAFailure() async {
        let probe = ConcurrencyProbe()
        let results = await FleetRunner(parallel: 2, failFast: true).run(gateways) { gateway in
            probe.enter(gateway)
            defer { probe.leave() }
            if gateway == "gw1" {
                await probe.waitForPeak(2)  // gw2 is running when gw1 fails
                return (.failed("apt-get failed"), "")
            }
            try? await Task.sleep(for: .milliseconds(200))
            return (.unchanged, "")
        }
        #expect(results[0].failed)
        #expect(results[1].outcome == .unchanged, "a gateway already running finishes")
        #expect(results[2...].allSatisfy { $0.outcome == .skipped })
        #expect(probe.started.count == 2)
        #expect(FleetSummary(results).table().contains("5 skipped"))
    }

    @Test func exitStatusIsTheWorstOfAllGateways() {
        func result(_ outcome: GatewayRunResult.Outcome) -> GatewayRunResult {
            GatewayRunResult(gateway: "gw", outcome: outcome, output: "", duration: .milliseconds(1))
        }
        #expect(FleetSummary([result(.unchanged), result(.unchanged)]).exitStatus(detailed: true) == 0)
        #expect(FleetSummary([result(.unchanged), result(.changed("1 to add"))]).exitStatus(detailed: true) == 2)
        #expect(FleetSummary([result(.unchanged), result(.changed("1 to add"))]).exitStatus(detailed: false) == 0)
        #expect(FleetSummary([result(.failed("x")), result(.changed("1 to add"))]).exitStatus(detailed: true) == 1)
    }

    @Test func summaryTableHasOneAlignedRowPerGatewayAndATotal() {
        let table = FleetSummary([
            GatewayRunResult(gateway: "gw1", outcome: .changed("3 to add, 1 to change"), output: "", duration: .milliseconds(1500)),
            GatewayRunResult(gateway: "gateway-two", outcome: .failed("ssh root@gw2:22: connection refused"), output: "", duration: .milliseconds(40)),
            GatewayRunResult(gateway: "gw3", outcome: .unchanged, output: "", duration: .seconds(2)),
        ]).table()
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines == [
            "gateway      result     time  detail",
            "gw1          changes    1.5s  3 to add, 1 to change",
            "gateway-two  FAILED     0.0s  ssh root@gw2:22: connection refused",
            "gw3          unchanged  2.0s",
            "3 gateways: 1 with changes, 1 failed",
        ])
    }
}
