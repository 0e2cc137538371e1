import Foundation

/// What the mesh throughput benchmark reads back: iperf3's JSON, /proc/stat lines and the gateway's sampler log.
enum ThroughputFigures {
    /// The parts of `iperf3 -J` the figures use: what the server received, and what the client had to send again.
    struct Iperf3Report: Decodable {
        struct Sum: Decodable {
            var bytes: Int
            var bitsPerSecond: Double
            var seconds: Double
            var retransmits: Int?
        }
        struct End: Decodable {
            var sumReceived: Sum?
            var sumSent: Sum?
        }
        var end: End?
        var error: String?

        static func parse(_ json: String) throws -> Iperf3Report {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            return try decoder.decode(Iperf3Report.self, from: Data(json.utf8))
        }
    }

    /// The first line of /proc/stat as busy and total jiffies (idle and iowait are not busy; guest time is already
    /// inside user, so only the first eight fields count).
    struct CPUCounters: Equatable {
        var busy: Int
        var total: Int

        init(busy: Int, total: Int) {
            self.busy = busy
            self.total = total
        }

        init?(procStatLine line: String) {
            let fields = line.split(separator: " ")
            guard fields.first == "cpu" else { return nil }
            self.init(fields: fields.dropFirst())
        }

        init?(fields: some Collection<Substring>) {
            let values = fields.prefix(8).compactMap { Int($0) }
            guard values.count >= 4 else { return nil }
            total = values.reduce(0, +)
            busy = total - values[3] - (values.count > 4 ? values[4] : 0)
        }

        /// The busy share of the jiffies between `self` and `later`.
        func busyFraction(until later: CPUCounters) -> Double {
            let total = later.total - self.total
            return total > 0 ? Double(later.busy - busy) / Double(total) : 0
        }
    }

    /// One line of the gateway's sampler: `UPTIME TX_BYTES cpu-fields…`.
    struct GatewaySample: Equatable {
        var uptime: Double
        var txBytes: Int
        var cpu: CPUCounters

        init(uptime: Double, txBytes: Int, cpu: CPUCounters) {
            self.uptime = uptime
            self.txBytes = txBytes
            self.cpu = cpu
        }

        init?(line: String) {
            let fields = line.split(separator: " ")
            guard fields.count >= 6, let uptime = Double(fields[0]), let tx = Int(fields[1]),
                  let cpu = CPUCounters(fields: fields.dropFirst(2)) else { return nil }
            self.init(uptime: uptime, txBytes: tx, cpu: cpu)
        }
    }

    /// The gateway's CPU while the flow ran, and before it.
    struct TrafficWindow: Equatable {
        var seconds: Double
        var busyJiffies: Int
        var totalJiffies: Int
        /// The busy share before the flow started (agent, batman-adv's OGMs, the sampler itself); nil without samples.
        var idleBusyFraction: Double?

        var busyFraction: Double { totalJiffies > 0 ? Double(busyJiffies) / Double(totalJiffies) : 0 }
        /// The busy share times the window's clock time (the guests have one vCPU): under TCG the guest's timer ticks
        /// come late (82-97 jiffies counted per second of uptime in BENCHMARKS.md's runs), so jiffies alone undercount.
        var busyCPUSeconds: Double { busyFraction * seconds }
        /// Jiffies counted per second of the window's clock: 100 on a guest whose ticks all arrive.
        var jiffiesPerClockSecond: Double { seconds > 0 ? Double(totalJiffies) / seconds : 0 }
    }

    /// The span in which the uplink sent more than a tenth of its busiest interval: the iperf3 flow, found from the
    /// gateway's own counters, so no SSH login (which costs real CPU under emulation) falls inside it.
    static func trafficWindow(_ samples: [GatewaySample]) -> TrafficWindow? {
        guard samples.count >= 3 else { return nil }
        let deltas = zip(samples, samples.dropFirst()).map { $1.txBytes - $0.txBytes }
        guard let peak = deltas.max(), peak > 0 else { return nil }
        let active = deltas.indices.filter { deltas[$0] * 10 > peak }
        guard let first = active.first, let last = active.last else { return nil }
        let (start, end) = (samples[first], samples[last + 1])
        let idle = first >= 2 ? samples[0].cpu.busyFraction(until: samples[first].cpu) : nil
        return TrafficWindow(seconds: end.uptime - start.uptime, busyJiffies: end.cpu.busy - start.cpu.busy,
                             totalJiffies: end.cpu.total - start.cpu.total, idleBusyFraction: idle)
    }

    /// One row of the table: one way through the mesh, measured once.
    struct Figure {
        var label: String
        var streams: Int
        /// Sum over the streams of what the host's iperf3 servers received.
        var megabitsPerSecond: Double
        var megabits: Double
        var retransmits: Int
        var gateway: TrafficWindow
        var routerBusyFraction: Double
        var hostLoad: String

        /// The gateway's busy CPU-seconds per megabit carried (equal to its CPU share per Mbit/s), in milliseconds.
        var gatewayMillisecondsPerMegabit: Double { megabits > 0 ? gateway.busyCPUSeconds * 1000 / megabits : 0 }
    }

    static func table(_ figures: [Figure]) -> String {
        func percent(_ fraction: Double) -> String { String(format: "%.0f %%", fraction * 100) }
        var lines = [
            "| mesh VPN | streams | Mbit/s (sum, received) | gateway busy | gateway CPU per Mbit | gateway idle busy | router busy | retransmits | host load (1 min) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for figure in figures {
            lines.append("| \(figure.label) | \(figure.streams) | \(String(format: "%.1f", figure.megabitsPerSecond)) | \(percent(figure.gateway.busyFraction)) "
                         + "| \(String(format: "%.1f", figure.gatewayMillisecondsPerMegabit)) ms "
                         + "| \(figure.gateway.idleBusyFraction.map(percent) ?? "–") | \(percent(figure.routerBusyFraction)) "
                         + "| \(figure.retransmits) | \(figure.hostLoad) |")
        }
        return lines.joined(separator: "\n")
    }
}
