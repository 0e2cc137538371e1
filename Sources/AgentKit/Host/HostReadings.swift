/// The kernel's figures respondd's statistics carry, read from /proc and /sys (a root other than / for tests).
public struct HostReadings: Sendable, Equatable {
    public var uptime: Double = 0
    public var idletime: Double = 0
    public var loadavg: Double = 0
    public var processesRunning: Int = 0
    public var processesTotal: Int = 0
    /// /proc/meminfo's figures in kB, keyed as respondd names them (total, free, buffers, cached, available).
    public var memory: [String: Int] = [:]
    public var processors: Int = 1

    public init() {}

    /// Reads /proc under `root`; fields it cannot read stay 0.
    public static func read(root: String = "") -> HostReadings {
        var readings = HostReadings()
        if let text = SmallFile.read(root + "/proc/uptime") { readings.parseUptime(text) }
        if let text = SmallFile.read(root + "/proc/loadavg") { readings.parseLoadavg(text) }
        if let text = SmallFile.read(root + "/proc/meminfo") { readings.parseMeminfo(text) }
        if let text = SmallFile.read(root + "/proc/cpuinfo", limit: 4 << 20) {
            readings.processors = max(1, text.split(separator: "\n").filter { $0.hasPrefix("processor") }.count)
        }
        return readings
    }

    mutating func parseUptime(_ text: String) {
        let fields = text.split(whereSeparator: \.isWhitespace)
        uptime = fields.first.flatMap { Double($0) } ?? 0
        idletime = fields.dropFirst().first.flatMap { Double($0) } ?? 0
    }

    mutating func parseLoadavg(_ text: String) {
        let fields = text.split(whereSeparator: \.isWhitespace)
        guard fields.count >= 4 else { return }
        loadavg = Double(fields[0]) ?? 0
        let processes = fields[3].split(separator: "/")
        if processes.count == 2 {
            processesRunning = Int(processes[0]) ?? 0
            processesTotal = Int(processes[1]) ?? 0
        }
    }

    mutating func parseMeminfo(_ text: String) {
        let names = ["MemTotal": "total", "MemFree": "free", "Buffers": "buffers", "Cached": "cached", "MemAvailable": "available"]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let name = names[String(parts[0])],
                  let value = parts[1].split(whereSeparator: \.isWhitespace).first.flatMap({ Int($0) }) else { continue }
            memory[name] = value
        }
    }
}

/// One network interface's address and counters from /sys/class/net.
public struct InterfaceReadings: Sendable, Equatable {
    public var mac: MACAddress?
    public var rxBytes = 0, rxPackets = 0, txBytes = 0, txPackets = 0

    public init() {}

    public static func read(_ interface: String, root: String = "") -> InterfaceReadings {
        var readings = InterfaceReadings()
        guard isInterfaceName(interface) else { return readings }
        let base = "\(root)/sys/class/net/\(interface)"
        readings.mac = SmallFile.read(base + "/address").flatMap { MACAddress(String($0.filter { !$0.isWhitespace })) }
        func counter(_ name: String) -> Int { SmallFile.read("\(base)/statistics/\(name)").flatMap { Int($0.filter(\.isNumber)) } ?? 0 }
        readings.rxBytes = counter("rx_bytes")
        readings.rxPackets = counter("rx_packets")
        readings.txBytes = counter("tx_bytes")
        readings.txPackets = counter("tx_packets")
        return readings
    }

    /// Linux interface names: 1–15 bytes, no '/', no whitespace, not '.' or '..'.
    public static func isInterfaceName(_ name: String) -> Bool {
        (1...15).contains(name.utf8.count) && name != "." && name != ".."
            && name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7f && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: ":") }
    }
}
