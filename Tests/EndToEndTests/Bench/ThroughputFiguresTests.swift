import Testing

/// The benchmark's readers, without a VM: a wrong window or a misread /proc/stat would go unnoticed in a table of figures.
@Suite struct ThroughputFiguresTests {
    typealias Sample = ThroughputFigures.GatewaySample

    @Test func procStatCountsIdleAndIowaitAsNotBusyAndIgnoresGuestTime() throws {
        let counters = try #require(ThroughputFigures.CPUCounters(procStatLine: "cpu  100 5 50 800 20 3 7 0 40 0"))
        #expect(counters == ThroughputFigures.CPUCounters(busy: 165, total: 985))
        #expect(ThroughputFigures.CPUCounters(procStatLine: "cpu0 1 2 3 4") == nil)
    }

    @Test func theWindowIsTheFlowInTheUplinkCountersAndTheIdleShareIsWhatCameBefore() throws {
        // 0.25 s apart: three quiet samples, four carrying the flow, two quiet again.
        let tx = [1_000, 1_200, 1_300, 101_300, 201_300, 301_300, 390_000, 390_100, 390_200]
        let busy = [0, 2, 4, 24, 44, 64, 84, 86, 88]
        let samples = tx.indices.map { Sample(uptime: 10 + 0.25 * Double($0), txBytes: tx[$0], cpu: .init(busy: busy[$0], total: 25 * $0)) }
        let window = try #require(ThroughputFigures.trafficWindow(samples))
        #expect(window == ThroughputFigures.TrafficWindow(seconds: 1, busyJiffies: 80, totalJiffies: 100, idleBusyFraction: 0.08))
        #expect(window.busyCPUSeconds == 0.8 && window.busyFraction == 0.8 && window.jiffiesPerClockSecond == 100)
        #expect(Sample(line: "12.50 390200 100 5 50 800 20 3 7 0 40 0") == Sample(uptime: 12.5, txBytes: 390_200, cpu: .init(busy: 165, total: 985)))
    }

    @Test func iperf3sJSONGivesWhatTheServerReceived() throws {
        let json = #"{"start": {}, "intervals": [], "end": {"sum_sent": {"bytes": 20000000, "bits_per_second": 1.4e7, "seconds": 12.0, "retransmits": 3}, "sum_received": {"bytes": 19500000, "bits_per_second": 1.3e7, "seconds": 12.1}}}"#
        let report = try ThroughputFigures.Iperf3Report.parse(json)
        #expect(report.end?.sumReceived?.bytes == 19_500_000 && report.end?.sumSent?.retransmits == 3 && report.error == nil)
        let failed = try ThroughputFigures.Iperf3Report.parse(#"{"start": {}, "intervals": [], "end": {}, "error": "unable to connect to server"}"#)
        #expect(failed.error == "unable to connect to server" && failed.end?.sumReceived == nil)
    }
}
