import Foundation
import Testing
import AgentKit

/// The parts of respondd that need no socket: the query grammar, raw deflate, the JSON a map tool reads, the limiter.
@Suite struct RespondDocumentTests {
    @Test func getQueriesAreCompressedAndBareNamesAreNot() throws {
        let get = try #require(RespondRequest(datagram: Array("GET nodeinfo statistics neighbours".utf8)))
        #expect(get.sections == [.nodeinfo, .statistics, .neighbours] && get.compressed)
        let bare = try #require(RespondRequest(datagram: Array("statistics".utf8)))
        #expect(bare.sections == [.statistics] && !bare.compressed)
        #expect(RespondRequest(datagram: Array("GET nodeinfo wifi nodeinfo".utf8))?.sections == [.nodeinfo], "unknown names skipped, repeats once")
    }

    @Test(arguments: ["", "GET", "GET wifi", "nodeinfo statistics", "GET nodeinfo\0", "GET nödeinfo", String(repeating: "GET ", count: 100)])
    func malformedQueriesAreRefused(_ text: String) {
        #expect(RespondRequest(datagram: Array(text.utf8)) == nil)
    }

    /// Python's zlib with wbits=-15 is what map tools (yanic, hopglass' python clients) use to read answers.
    @Test func rawDeflateIsReadableByAnotherImplementation() throws {
        let text = String(repeating: "{\"node_id\":\"02005e100001\"}", count: 20)
        let compressed = try RawDeflate.compress(Array(text.utf8))
        #expect(compressed.count < text.utf8.count)
        #expect(compressed.first != 0x78, "no zlib header")
        let file = NSTemporaryDirectory() + "respondd-\(UUID().uuidString)"
        try Data(compressed).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let inflated = try runCommand(["python3", "-c", "import sys,zlib; sys.stdout.write(zlib.decompress(open(sys.argv[1],'rb').read(), -15).decode())", file])
        #expect(inflated.status == 0 && inflated.output == text)
        #expect(try RawDeflate.decompress(compressed) == Array(text.utf8))
    }

    @Test func inflatingStopsAtTheLimit() throws {
        let compressed = try RawDeflate.compress([UInt8](repeating: 0x20, count: 200_000))
        #expect(throws: RawDeflate.Failure.self) { try RawDeflate.decompress(compressed, limit: 100_000) }
        #expect(throws: RawDeflate.Failure.self) { try RawDeflate.decompress([0xff, 0xff, 0xff]) }
    }

    @Test func documentsUseTheKeysMapToolsRead() throws {
        let builder = RespondAnswerBuilder(config: RespondTestbed.config(), source: FixtureRespondSource())
        let request = try #require(RespondRequest(datagram: Array("GET nodeinfo statistics neighbours".utf8)))
        let json = String(decoding: try RawDeflate.decompress(try builder.datagram(for: request, domain: RespondTestbed.config().domains[0])), as: UTF8.self)
        for key in ["\"nodeinfo\":", "\"node_id\":\"02005e100001\"", "\"batman-adv\":{\"compat\":15,\"version\":\"2022.3\"}",
                    "\"public_key\":\"\(String(repeating: "ab", count: 32))\"", "\"domain_code\":\"dom1\"", "\"site_code\":\"ffx\"",
                    "\"vpn\":true", "\"contact\":\"noc@ffx.example\"", "\"clients\":{\"total\":3,\"wifi\":0}", "\"loadavg\":0.25",
                    "\"processes\":{\"running\":1,\"total\":80}", "\"neighbours\":{\"02:aa:00:00:00:01\":{\"lastseen\":0.82,\"tq\":255}"] {
            #expect(json.contains(key), "missing \(key) in \(json)")
        }
    }

    @Test func hostReadingsParseProc() throws {
        let root = NSTemporaryDirectory() + "proc-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root + "/proc", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "351.25 600.50\n".write(toFile: root + "/proc/uptime", atomically: true, encoding: .utf8)
        try "0.42 0.30 0.20 2/131 4242\n".write(toFile: root + "/proc/loadavg", atomically: true, encoding: .utf8)
        try "MemTotal:        2030000 kB\nMemFree:          900000 kB\nMemAvailable:    1500000 kB\nBuffers: 10 kB\nCached: 20 kB\nSwapTotal: 0 kB\n"
            .write(toFile: root + "/proc/meminfo", atomically: true, encoding: .utf8)
        let readings = HostReadings.read(root: root)
        #expect(readings.uptime == 351.25 && readings.idletime == 600.5 && readings.loadavg == 0.42)
        #expect(readings.processesRunning == 2 && readings.processesTotal == 131)
        #expect(readings.memory == ["total": 2_030_000, "free": 900_000, "available": 1_500_000, "buffers": 10, "cached": 20])
    }

    @Test func limiterGivesEachSourceItsBurstThenRefills() {
        var limiter = RateLimiter(burst: 2, perSecond: 1)
        let a: [UInt8] = [1], b: [UInt8] = [2]
        let answers = [limiter.allow(a, now: 0), limiter.allow(a, now: 0), limiter.allow(a, now: 0.5), limiter.allow(b, now: 0.5), limiter.allow(a, now: 1.6)]
        #expect(answers == [true, true, false, true, true], "a burst of two, another source its own bucket, one token back after a second")
    }

    @Test func limiterForgetsOldSourcesAtCapacity() {
        var limiter = RateLimiter(burst: 1, perSecond: 0.001, capacity: 4)
        var first: [Bool] = []
        for source in 0..<10 { first.append(limiter.allow([UInt8(source)], now: Double(source))) }
        #expect(first.allSatisfy { $0 })
        let again = limiter.allow([9], now: 10)
        #expect(!again, "the newest source is still remembered")
    }

    @Test func batmanTablesCountDistinctOriginatorsAndClients() {
        let tables = BatmanTables(originatorsJSON: BatmanFixtures.originators, gatewaysJSON: BatmanFixtures.gateways, globalJSON: BatmanFixtures.global)
        #expect(tables.originatorCount == 3 && tables.clientCount == 3 && tables.gateways.count == 1)
        #expect(tables.directNeighbours["fastd-dom1"]?.map(\.origAddress.description).sorted() == ["02:aa:00:00:00:01", "02:aa:00:00:00:02"])
        let hostile = BatmanTables(originatorsJSON: #"[{"orig_address":"x","neigh_address":"y","hard_ifname":"a","last_seen_msecs":1}]"#,
                                   gatewaysJSON: "not json", globalJSON: nil)
        #expect(hostile == BatmanTables(), "a dump that does not parse counts as empty")
    }

    /// A gateway that generated its own secret: the agent asks the real fastd for the public key of the config's secret.
    @Test func missingFastdKeyIsFilledFromFastd() throws {
        let generated = try runCommand(["fastd", "--generate-key"])
        let lines = generated.output.split(separator: "\n")
        let secret = try #require(lines.first { $0.hasPrefix("Secret: ") }).dropFirst(8)
        let expected = String(try #require(lines.first { $0.hasPrefix("Public: ") }).dropFirst(8))
        let file = NSTemporaryDirectory() + "fastd-\(UUID().uuidString).conf"
        try "secret \"\(secret)\";\n".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        var config = RespondTestbed.config()
        config.domains[0].fastdPublicKey = nil
        config.domains[0].fastdConfig = file
        #expect(config.fillingFastdKeys().domains[0].fastdPublicKey == expected)
        #expect(config.fillingFastdKeys { _ in "not a key\n" }.domains[0].fastdPublicKey == nil, "fastd's output is checked")
    }
}
