import Foundation
import Testing
import AgentKit
@testable import GatewayKit

/// A domain with two fastd instances: the agent reads both status sockets (real unix sockets here), adds their peers,
/// and reports the domain down while one of them does not answer.
@Suite(.serialized) struct MetricsFastdInstancesTests {
    struct LiveFastdOnly: MetricsInputs {
        func batman(_ mesh: String) -> BatmanTables { BatmanTables(originatorsJSON: "[]", gatewaysJSON: "[]", globalJSON: "[]") }
        func fastd(socket: String) -> FastdStatus? { .read(socket: socket) }
        func file(_ path: String) -> String? { nil }
    }

    @Test func peersOfEveryInstanceAddUpAndOneSilentInstanceIsDown() throws {
        let base = NSTemporaryDirectory() + "fastd-\(UInt32.random(in: 1000...9999))"
        let first = try UnixSocketServer(path: base + ".sock", reply: FixtureMetricsInputs.fastdStatus)
        defer { first.close() }
        var domain = MetricsConfig.Domain(code: "dom1", mesh: "bat-dom1", fastdSocket: base + ".sock", fastdPeerLimit: 3, dhcpRanges: [])
        domain.moreFastdSockets = [base + ".2.sock"]
        let config = MetricsConfig(textfile: "/nonexistent/gwsetup.prom", leaseFile: "/leases", domains: [domain])
        func scrape() -> String { MetricsCollector(config: config, inputs: LiveFastdOnly()).collect(uplink: nil, respondd: nil).map(\.exposition).joined() }
        let silent = scrape()
        #expect(silent.contains("gwsetup_fastd_up{domain=\"dom1\"} 0") && silent.contains("gwsetup_fastd_peers_connected{domain=\"dom1\"} 2"), "\(silent)")
        let second = try UnixSocketServer(path: base + ".2.sock", reply: FixtureMetricsInputs.fastdStatus)
        defer { second.close() }
        let both = scrape()
        #expect(both.contains("gwsetup_fastd_up{domain=\"dom1\"} 1") && both.contains("gwsetup_fastd_peers_connected{domain=\"dom1\"} 4"), "\(both)")
        #expect(both.contains("gwsetup_fastd_peer_limit{domain=\"dom1\"} 3"))
    }
}
