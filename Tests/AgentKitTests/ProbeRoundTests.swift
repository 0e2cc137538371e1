import Foundation
import Testing
@testable import AgentKit
import TestSupport

/// Real probes on loopback: an HTTP target answers or does not, ICMP echo to 127.0.0.1 and ::1, and a round
/// succeeds when any target answers and takes no longer than its timeout.
@Suite struct ProbeRoundTests {
    /// Both rounds end as soon as the server answers or hangs up, so a timeout a loaded machine always meets costs
    /// nothing here (2 s failed once in a CI run with three guests on two cores).
    @Test(arguments: [false, true])
    func httpAnswersCountAndAHangUpDoesNot(ipv6: Bool) throws {
        let server = try LoopbackHTTPServer(ipv6: ipv6)
        defer { server.stop() }
        let round = ProbeRound(targets: [.init(kind: .http, address: server.address, port: Int(server.port), path: "/health")], timeout: 10, interface: nil)
        #expect(round.run())
        server.answering = false
        #expect(!round.run(), "a connection closed without a status line is not an answer")
        #expect(server.requests == 2)
    }

    @Test func aClosedPortFailsAtOnce() throws {
        let server = try LoopbackHTTPServer()
        let port = Int(server.port)
        server.stop()
        let started = ContinuousClock.now
        // A refused connection ends the round long before its 30 s timeout (the bound is loose for a loaded machine).
        #expect(!ProbeRound(targets: [.init(kind: .http, address: "127.0.0.1", port: port)], timeout: 30, interface: nil).run())
        #expect(ContinuousClock.now - started < .seconds(15))
    }

    /// A round ends at its first answer, so the answering cases get a timeout a loaded machine always meets.
    @Test(arguments: ["127.0.0.1", "::1"])
    func icmpEchoToLoopbackAnswers(address: String) {
        #expect(ProbeRound(targets: [.init(kind: .icmp, address: address)], timeout: 10, interface: nil).run())
    }

    @Test func oneAnsweringTargetOfSeveralIsEnoughAndTheRoundEndsByItsTimeout() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        // A port that accepts connections (the kernel's backlog) but whose program never answers.
        let mute = try MuteListener.open()
        defer { close(mute.descriptor) }
        let silent = UplinkConfig.Target(kind: .http, address: "127.0.0.1", port: Int(mute.port))
        let started = ContinuousClock.now
        #expect(!ProbeRound(targets: [silent], timeout: 1, interface: "lo").run())
        let took = ContinuousClock.now - started
        // It waited for its timeout, and it did end (the upper bound is loose for a loaded machine).
        #expect(took >= .milliseconds(900) && took < .seconds(20), "\(took)")
        #expect(ProbeRound(targets: [silent, .init(kind: .http, address: "127.0.0.1", port: Int(server.port))], timeout: 10, interface: "lo").run())
    }

    @Test func probesLeaveOnlyThroughTheNamedInterface() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let target = UplinkConfig.Target(kind: .http, address: "127.0.0.1", port: Int(server.port))
        #expect(ProbeRound(targets: [target], timeout: 10, interface: "lo").run())
        // An uplink that does not exist (renamed, gone): no probe may fall back on another route.
        #expect(!ProbeRound(targets: [target, .init(kind: .icmp, address: "127.0.0.1")], timeout: 1, interface: "gwnone0").run())
    }
}
