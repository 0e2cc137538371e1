import Foundation
import TestSupport
@testable import GatewayKit

/// An authoritative zone served by a real NSD on the host's loopback, which guests reach at 10.0.2.2: the "internet"
/// name a client's recursion through the gateway's unbound must find, since the VMs have no internet of their own.
struct HostDNSZone: Sendable {
    /// The zone's name, under the special-use `.test` TLD that no real resolver answers for.
    static let zone = "gwsetup.test"
    /// A name in the zone and its address (TEST-NET-1, routed nowhere).
    static let name = "www.gwsetup.test"
    static let address = "192.0.2.80"

    let port: Int

    /// Where a gateway's unbound finds the zone: a stub zone at the host, and no DNSSEC chain for it (it is unsigned and
    /// the root's keys are out of reach); dropped into unbound.conf.d beside gwsetup's own file. unbound answers `.test`
    /// itself (NXDOMAIN) by default, as RFC 6761 asks of resolvers, so that default is lifted for the test.
    var unboundStub: String {
        """
        server:
          local-zone: "test." nodefault
          domain-insecure: "\(Self.zone)"
        stub-zone:
          name: "\(Self.zone)"
          stub-addr: \(TestVM.hostAddressFromGuest)@\(port)

        """
    }
}

/// Runs NSD serving `HostDNSZone.zone` on a free loopback port for `body`, and stops it however `body` ends.
func withHostDNSZone<T>(_ body: (HostDNSZone) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gwsetup-nsd-\(UUID().uuidString.prefix(8))").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let port = LoopbackPort.free(.udp)
    try """
        $ORIGIN \(HostDNSZone.zone).
        $TTL 60
        @   IN SOA ns.\(HostDNSZone.zone). admin.\(HostDNSZone.zone). 1 3600 600 86400 60
        @   IN NS  ns.\(HostDNSZone.zone).
        ns  IN A   127.0.0.1
        www IN A   \(HostDNSZone.address)

        """.write(toFile: directory + "/zone", atomically: true, encoding: .utf8)
    try """
        server:
          ip-address: 127.0.0.1@\(port)
          port: \(port)
          username: ""
          chroot: ""
          zonesdir: "\(directory)"
          zonelistfile: "\(directory)/zone.list"
          database: ""
          pidfile: "\(directory)/nsd.pid"
          xfrdfile: "\(directory)/xfrd.state"
          logfile: "\(directory)/nsd.log"
          server-count: 1
          verbosity: 1
        remote-control:
          control-enable: no
        zone:
          name: \(HostDNSZone.zone)
          zonefile: "\(directory)/zone"

        """.write(toFile: directory + "/nsd.conf", atomically: true, encoding: .utf8)
    let check = try await ProcessRunner.run(executable: "/usr/sbin/nsd-checkconf", arguments: [directory + "/nsd.conf"], stdin: Data(), timeout: .seconds(30))
    guard check.status == 0 else { throw VMError.launchFailed("nsd-checkconf: \(String(decoding: check.stderr, as: UTF8.self))") }
    let pid = try ChildProcess.spawn("/usr/sbin/nsd", ["-d", "-c", directory + "/nsd.conf"], outputFile: directory + "/nsd.out")
    defer { ChildProcess.terminate(pid) }
    let deadline = ContinuousClock.now.advanced(by: .seconds(60))
    while !(try await ProcessRunner.run(executable: "/bin/sh", arguments: ["-c", "ss -Hlun 'sport = :\(port)' | grep -q ."],
                                         stdin: Data(), timeout: .seconds(10)).status == 0) {
        if let status = ChildProcess.exitStatus(pid) {
            throw VMError.launchFailed("nsd exited with \(status): \(TestVM.tail(of: directory + "/nsd.out", lines: 5)) \(TestVM.tail(of: directory + "/nsd.log", lines: 5))")
        }
        guard ContinuousClock.now < deadline else { throw VMError.launchFailed("nsd never bound 127.0.0.1:\(port)") }
        try await Task.sleep(for: .milliseconds(200))
    }
    return try await body(HostDNSZone(port: port))
}
