import Foundation
import TestSupport
@testable import GatewayKit

/// iperf3 servers on the host's loopback, which guests reach at 10.0.2.2 through qemu's NAT: the far end of a client's
/// flow out of the mesh, past the gateway's uplink NAT. An iperf3 server serves one test at a time, hence one per
/// concurrent stream.
func withHostIperf3Servers<T>(_ count: Int, _ body: ([Int]) async throws -> T) async throws -> T {
    let executable = "/usr/bin/iperf3"
    guard FileManager.default.isExecutableFile(atPath: executable) else {
        throw VMError.launchFailed("no \(executable) on the host: run Tests/setup.sh (or apt-get install -y iperf3)")
    }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gwsetup-iperf3-\(UUID().uuidString.prefix(8))").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var ports: [Int] = []
    while ports.count < count {
        let port = LoopbackPort.free(.tcp)
        if !ports.contains(port) { ports.append(port) }
    }
    var pids: [pid_t] = []
    defer { pids.forEach { ChildProcess.terminate($0) } }
    for port in ports {
        let log = "\(directory)/iperf3-\(port).log"
        let pid = try ChildProcess.spawn(executable, ["-s", "-B", "127.0.0.1", "-p", String(port)], outputFile: log)
        pids.append(pid)
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while try await ProcessRunner.run(executable: "/bin/sh", arguments: ["-c", "ss -Htln 'sport = :\(port)' | grep -q ."],
                                          stdin: Data(), timeout: .seconds(10)).status != 0 {
            if let status = ChildProcess.exitStatus(pid) {
                throw VMError.launchFailed("iperf3 -s on 127.0.0.1:\(port) exited with \(status): \(TestVM.tail(of: log, lines: 5))")
            }
            guard ContinuousClock.now < deadline else { throw VMError.launchFailed("iperf3 never listened on 127.0.0.1:\(port)") }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
    return try await body(ports)
}
