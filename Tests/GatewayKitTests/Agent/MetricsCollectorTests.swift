import Foundation
import Testing
import AgentKit
@testable import GatewayKit
import TestSupport

/// Fixed inputs: a mesh as BatmanFixtures, a fastd with two of three peers connected, a lease file with leases in
/// and out of this gateway's range, conntrack at 850 of 1000.
struct FixtureMetricsInputs: MetricsInputs {
    static let fastdStatus = """
    {"uptime":1000,"interface":"vpn-dom1","statistics":{},"peers":{
    "aaaa":{"name":"node1","address":"[2001:db8::1]:10000","connection":{"established":500,"method":"null"}},
    "bbbb":{"name":"node2","address":"192.0.2.7:10000","connection":{"established":12}},
    "cccc":{"name":"node3","address":null,"connection":null}}}
    """
    static let leases = """
    1700000000 0a:00:00:00:00:01 10.99.16.5 node1 01:0a:00:00:00:00:01
    1700000000 0a:00:00:00:00:02 10.99.16.9 * *
    1700000000 0a:00:00:00:00:03 10.99.32.9 other-gateways-range *
    garbage line
    """

    func batman(_ mesh: String) -> BatmanTables {
        BatmanTables(originatorsJSON: BatmanFixtures.originators, gatewaysJSON: BatmanFixtures.gateways, globalJSON: BatmanFixtures.global)
    }
    func fastd(socket: String) -> FastdStatus? { FastdStatus(json: Self.fastdStatus) }
    func file(_ path: String) -> String? {
        switch path {
        case "/proc/sys/net/netfilter/nf_conntrack_count": "850\n"
        case "/proc/sys/net/netfilter/nf_conntrack_max": "1000\n"
        case "/leases": Self.leases
        default: nil
        }
    }
}

@Suite(.serialized) struct MetricsCollectorTests {
    static func config(textfile: String = "/nonexistent/gwsetup.prom") -> MetricsConfig {
        MetricsConfig(textfile: textfile, leaseFile: "/leases",
                      domains: [.init(code: "dom1", mesh: "bat-dom1", fastdSocket: "/run/fastd-dom1.sock", fastdPeerLimit: 2,
                                      dhcpRanges: [.init(first: "10.99.16.2", last: "10.99.31.254")])])
    }

    static let uplink = UplinkFigures(up: false, drained: true, maintenance: false, transitionsDown: 2, transitionsUp: 1)

    static func collect(textfile: String = "/nonexistent/gwsetup.prom") -> (MetricsCollector, [MetricFamily]) {
        let collector = MetricsCollector(config: config(textfile: textfile), inputs: FixtureMetricsInputs())
        return (collector, collector.collect(uplink: uplink, respondd: RespondCounters(answered: ["dom1": 7], limited: [:], ignored: 1)))
    }

    @Test func fixtureInputsGiveEveryMetricWithItsValue() {
        let text = Self.collect().1.map(\.exposition).joined()
        for line in ["gwsetup_batadv_originators{domain=\"dom1\"} 3", "gwsetup_batadv_gateways{domain=\"dom1\"} 1",
                     "gwsetup_batadv_tt_clients{domain=\"dom1\"} 3", "gwsetup_fastd_peers_connected{domain=\"dom1\"} 2",
                     "gwsetup_fastd_peer_limit{domain=\"dom1\"} 2", "gwsetup_fastd_up{domain=\"dom1\"} 1",
                     "gwsetup_dhcp_leases_in_use{domain=\"dom1\"} 2", "gwsetup_dhcp_pool_size{domain=\"dom1\"} 4093",
                     "gwsetup_conntrack_entries 850", "gwsetup_conntrack_max 1000", "gwsetup_uplink_up 0", "gwsetup_drained 1",
                     "gwsetup_maintenance 0", "gwsetup_uplink_transitions_total{to=\"down\"} 2", "gwsetup_uplink_transitions_total{to=\"up\"} 1",
                     "gwsetup_respondd_queries_answered_total{domain=\"dom1\"} 7", "gwsetup_respondd_queries_limited_total{domain=\"dom1\"} 0",
                     "# TYPE gwsetup_uplink_transitions_total counter"] {
            #expect(text.contains(line + "\n"), "missing: \(line)")
        }
        let emitted = Set(Self.collect().1.map(\.name))
        #expect(emitted == Set(MetricsCollector.names), "names lists exactly what the collector emits")
    }

    @Test func labelValuesAreEscaped() {
        let family = MetricFamily("x_total", "help", .counter, [.init([("domain", "a\"b\\c\nd")], 1)])
        #expect(family.exposition.contains(#"x_total{domain="a\"b\\c\nd"} 1"#))
    }

    @Test func fastdSocketIsReadOverARealUnixSocket() throws {
        let path = NSTemporaryDirectory() + "fastd-\(UInt32.random(in: 1000...9999)).sock"
        let server = try UnixSocketServer(path: path, reply: FixtureMetricsInputs.fastdStatus)
        defer { server.close() }
        let status = try #require(FastdStatus.read(socket: path))
        #expect(status.peersConnected == 2 && status.peersKnown == 3)
        #expect(FastdStatus.read(socket: path + ".missing") == nil)
        #expect(FastdStatus(json: #"{"peers": 3}"#) == nil)
    }

    /// promtool lints the file; a real node-exporter serves it next to its own metrics; the dashboard's every
    /// metric name is in that scrape.
    @Test func realNodeExporterServesTheTextfileAndTheDashboardsMetrics() throws {
        let directory = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (collector, families) = Self.collect(textfile: directory + "/gwsetup.prom")
        #expect(collector.write(families))
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: directory)).contains { $0.contains(".tmp") }, "no temporary file left")
        let lint = try Shell.run("promtool check metrics < '\(directory)/gwsetup.prom'")
        #expect(lint.status == 0, "promtool check metrics: \(lint.output)")

        let port = Int.random(in: 20000...29999)
        let pid = try ChildProcess.spawn("/usr/bin/prometheus-node-exporter",
                                         ["--web.listen-address=127.0.0.1:\(port)", "--collector.textfile.directory=\(directory)"],
                                         outputFile: directory + "/exporter.log")
        defer { kill(pid, SIGTERM); _ = ChildProcess.exitStatus(pid) }
        var scrape = ""
        for _ in 0..<50 {
            let fetched = try Shell.run("curl -fsS http://127.0.0.1:\(port)/metrics")
            if fetched.status == 0 { scrape = fetched.output; break }
            usleep(200_000)
        }
        let log = (try? String(contentsOfFile: directory + "/exporter.log", encoding: .utf8)) ?? ""
        try #require(!scrape.isEmpty, "node-exporter did not answer: \(log)")
        let scraped = Set(scrape.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            line.split(whereSeparator: { $0 == "{" || $0 == " " }).first.map(String.init)
        })
        for name in MetricsCollector.names { #expect(scraped.contains(name), "\(name) not in the scrape") }
        #expect(scrape.contains("gwsetup_fastd_peers_connected{domain=\"dom1\"} 2"))

        let dashboard = try JSONSerialization.jsonObject(with: Data(try GrafanaDashboard.json(siteName: "Test").utf8)) as? [String: Any]
        let panels = try #require(dashboard?["panels"] as? [[String: Any]])
        let expressions = panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        #expect(expressions.count == panels.count)
        for expression in expressions {
            let names = expression.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") })
                .map(String.init).filter { $0.hasPrefix("gwsetup_") || $0.hasPrefix("node_") }
            #expect(!names.isEmpty, "\(expression) names no metric")
            for name in names { #expect(scraped.contains(name), "dashboard query \(expression) uses \(name), which the scrape lacks") }
        }
    }
}

/// A unix stream socket that answers every connection with `reply` and closes it, as fastd's status socket does.
final class UnixSocketServer: @unchecked Sendable {
    private let fd: Int32
    private let path: String

    init(path: String, reply: String) throws {
        self.path = path
        unlink(path)
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(fd, 4) == 0 else { throw NamespaceError(message: "unix socket \(path)") }
        let listener = fd
        Thread {
            while true {
                let client = accept(listener, nil, nil)
                if client < 0 { return }
                _ = reply.withCString { send(client, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                Glibc.close(client)
            }
        }.start()
    }

    func close() {
        shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
        unlink(path)
    }
}
