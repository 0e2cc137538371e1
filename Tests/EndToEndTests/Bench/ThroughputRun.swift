import Foundation
@testable import GatewayKit

/// One measurement: iperf3 from one or more of the router's client namespaces to the host's servers at once, while a
/// sampler on the gateway logs its CPU and uplink counters, and the router's CPU is read around the run.
struct ThroughputRun {
    let gateway: TestVM
    let router: MeshRouter
    let seconds: Int

    /// Reads uptime, the uplink's sent bytes and /proc/stat's cpu line every `period` seconds, without forking.
    static let sampler = """
        import sys, time
        period, device, path = float(sys.argv[1]), sys.argv[2], sys.argv[3]
        with open(path, "w", buffering=1) as out:
            while True:
                with open("/proc/uptime") as f: uptime = f.read().split()[0]
                with open("/sys/class/net/%s/statistics/tx_bytes" % device) as f: tx = f.read().strip()
                with open("/proc/stat") as f: cpu = f.readline().split()[1:]
                out.write("%s %s %s\\n" % (uptime, tx, " ".join(cpu)))
                time.sleep(period)

        """

    func installSampler() async throws {
        try await gateway.write(Data(Self.sampler.utf8), to: "/root/bench-sampler.py")
    }

    /// Runs one iperf3 client per `(namespace, port)` for `seconds`, all at once, and returns the row.
    func measure(_ label: String, streams: [(namespace: String, port: Int)]) async throws -> ThroughputFigures.Figure {
        _ = try await gateway.run("rm -f /run/bench-cpu.log; systemd-run --quiet --collect --unit=bench-cpu python3 /root/bench-sampler.py 0.25 eth0 /run/bench-cpu.log")
        // Samples before the flow: the gateway's busy share at rest, and a clean start for the window.
        try await Task.sleep(for: .seconds(3))
        let host = TestVM.hostAddressFromGuest
        let clients = streams.enumerated().map { index, stream in
            MeshRouter.inNamespace(stream.namespace, "exec iperf3 -c \(host) -p \(stream.port) -t \(seconds) -J") + " > /run/bench-\(index).json & p\(index)=$!"
        }
        let waits = streams.indices.map { "wait $p\($0) || s=1" }
        let script = (["rm -f /run/bench-*.json", "s0=$(head -1 /proc/stat)"] + clients + ["s=0"] + waits
                      + ["s1=$(head -1 /proc/stat)", "echo \"$s0\"", "echo \"$s1\"", "exit $s"]).joined(separator: "\n")
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init) ?? "?"
        let run = try await router.vm.ssh(script, timeout: .seconds(seconds + 120))
        try await Task.sleep(for: .seconds(1))
        _ = try await gateway.run("systemctl stop bench-cpu")
        var reports: [String] = []
        for index in streams.indices { reports.append(try await router.vm.run("cat /run/bench-\(index).json")) }
        guard run.succeeded else {
            throw VMError.launchFailed("\(label): iperf3 failed (exit \(run.status)):\n\(reports.joined(separator: "\n").suffix(3000))\n\(run.stderrText)")
        }
        let stat = run.stdoutText.split(separator: "\n").compactMap { ThroughputFigures.CPUCounters(procStatLine: String($0)) }
        guard stat.count == 2 else { throw VMError.launchFailed("\(label): the router's /proc/stat around the run: \(run.stdoutText)") }
        var (bitsPerSecond, megabits, retransmits) = (0.0, 0.0, 0)
        for report in reports {
            let parsed = try ThroughputFigures.Iperf3Report.parse(report)
            guard parsed.error == nil, let received = parsed.end?.sumReceived else {
                throw VMError.launchFailed("\(label): iperf3 said \(parsed.error ?? "no sum_received"):\n\(report.suffix(2000))")
            }
            bitsPerSecond += received.bitsPerSecond
            megabits += Double(received.bytes) * 8 / 1_000_000
            retransmits += parsed.end?.sumSent?.retransmits ?? 0
        }
        let log = try await gateway.run("cat /run/bench-cpu.log")
        let samples = log.split(separator: "\n").compactMap { ThroughputFigures.GatewaySample(line: String($0)) }
        guard let window = ThroughputFigures.trafficWindow(samples) else {
            throw VMError.launchFailed("\(label): no flow in the gateway's uplink counters:\n\(log.suffix(2000))")
        }
        let figure = ThroughputFigures.Figure(
            label: label, streams: streams.count, megabitsPerSecond: bitsPerSecond / 1_000_000, megabits: megabits,
            retransmits: retransmits, gateway: window, routerBusyFraction: stat[0].busyFraction(until: stat[1]), hostLoad: load)
        FileHandle.standardError.write(Data(("bench: \(label): \(String(format: "%.1f", figure.megabitsPerSecond)) Mbit/s, gateway "
                                             + "\(String(format: "%.0f", window.busyFraction * 100)) % busy over \(String(format: "%.1f", window.seconds)) s "
                                             + "(\(String(format: "%.0f", window.jiffiesPerClockSecond)) jiffies/s), \(String(format: "%.1f", megabits)) Mbit carried, "
                                             + "\(String(format: "%.1f", figure.gatewayMillisecondsPerMegabit)) ms CPU per Mbit, router "
                                             + "\(String(format: "%.0f", figure.routerBusyFraction * 100)) % busy\n").utf8))
        return figure
    }
}
