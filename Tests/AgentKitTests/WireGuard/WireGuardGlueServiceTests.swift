import Testing
@testable import AgentKit

/// The service with a scripted runner: the order of reads and changes, the events, and what it leaves alone.
@Suite struct WireGuardGlueServiceTests {
    typealias S = GlueSamples

    func service(_ commands: FakeCommands, present: Set<String> = ["wg-ffx", "vx-ffx"],
                 config: WireGuardGlueConfig = .init(links: [S.link], interval: 5)) -> WireGuardGlueService {
        WireGuardGlueService(config: config, commands: commands, events: commands, interfacePresent: { present.contains($0) },
                             wallClock: { S.now })
    }

    @Test func oneRoundReadsThenPrunesThenAdds() {
        let commands = FakeCommands.sampled()
        service(commands).sync()
        #expect(commands.calls.map { $0.joined(separator: " ") } == [
            "wg show wg-ffx latest-handshakes",
            "wg show wg-ffx allowed-ips",
            "bridge -j fdb show dev vx-ffx",
            "ip -j -6 route show dev wg-ffx proto static",
            "bridge fdb delete 00:00:00:00:00:00 dev vx-ffx dst fe80::b via wg-ffx",
            "ip -6 route delete fe80::b/128 dev wg-ffx proto static",
            "bridge fdb delete 00:00:00:00:00:00 dev vx-ffx dst fe80::e",
            "ip -6 route delete fe80::f/128 dev wg-ffx proto static",
            "bridge fdb append 00:00:00:00:00:00 dev vx-ffx dst fe80::a via wg-ffx",
            "ip -6 route replace fe80::a/128 dev wg-ffx proto static",
        ])
        #expect(commands.events.map(\.name) == ["wireguard-node-pruned", "wireguard-node-pruned", "wireguard-node-pruned", "wireguard-node-added"])
        let added = commands.events[3]
        #expect(added.fields == ["interface": "wg-ffx", "vxlan": "vx-ffx", "address": "fe80::a", "public_key": S.keyA, "reason": "handshake 12 s ago"])
        #expect(added.message == "wg-ffx: node fe80::a flooded and routed (handshake 12 s ago)")
    }

    @Test func noCommandEverAsksForAPrivateKey() {
        let commands = FakeCommands.sampled()
        service(commands).sync()
        for call in commands.calls {
            #expect(!call.contains("dump") && !call.contains("showconf") && !call.contains("private-key") && !call.contains("preshared-keys"), "\(call)")
            #expect(call.first != "sh" && !call.contains("-c"), "\(call)")
        }
    }

    @Test func aMissingInterfaceIsQuiet() {
        let commands = FakeCommands.sampled()
        service(commands, present: ["wg-ffx"]).sync()
        #expect(commands.calls.isEmpty && commands.events.isEmpty)
    }

    @Test func aFailingChangeIsOneEventAndTheNodeIsNotReportedDone() {
        let commands = FakeCommands.sampled()
        let append = GlueChange.appendFlood(NodeAddress("fe80::a")!).arguments(link: S.link)
        commands.answer(append, CommandCapture(status: 2, errorOutput: "RTNETLINK answers: Invalid argument\n"))
        let glue = service(commands)
        glue.sync()
        let failed = commands.events.filter { $0.name == "wireguard-glue-failed" }
        #expect(failed.count == 1)
        #expect(failed.first?.message == "wg-ffx: `\(append.joined(separator: " "))` failed (status 2): RTNETLINK answers: Invalid argument")
        #expect(failed.first?.priority == 3)
        #expect(!commands.events.contains { $0.name == "wireguard-node-added" })
        #expect(commands.calls.contains(GlueChange.replaceRoute(NodeAddress("fe80::a")!).arguments(link: S.link)), "the route is still tried")
        glue.sync()
        #expect(commands.events.filter { $0.name == "wireguard-glue-failed" }.count == 1, "a failure that goes on is reported once")
        commands.answer(append, CommandCapture(status: 0))
        glue.sync()
        commands.answer(append, CommandCapture(status: 2))
        glue.sync()
        #expect(commands.events.filter { $0.name == "wireguard-glue-failed" }.count == 2, "a failure that comes back is reported again")
    }

    @Test func aFailedReadChangesNothing() {
        let commands = FakeCommands.sampled()
        commands.answer(NodeRoutes.command(wireguard: "wg-ffx"), CommandCapture(status: 1, errorOutput: "Cannot find device \"wg-ffx\"\n"))
        service(commands).sync()
        #expect(commands.calls.count == 4)
        #expect(commands.events.map(\.name) == ["wireguard-glue-failed"])
    }

    @Test func unparsedLinesAreReportedWhenTheirCountChanges() {
        let commands = FakeCommands.sampled()
        let reads = WireGuardPeers.commands(interface: "wg-ffx")
        commands.answer(reads[0], CommandCapture(status: 0, output: S.handshakes + "garbage\n"))
        let glue = service(commands)
        glue.sync()
        glue.sync()
        let unparsed = commands.events.filter { $0.name == "wireguard-glue-unparsed" }
        #expect(unparsed.count == 1 && unparsed.first?.fields["lines"] == "1")
    }

    @Test func wakeMakesTheNextRoundDueNow() throws {
        let commands = FakeCommands.sampled()
        let glue = service(commands)
        let start = ContinuousClock.now
        glue.tick(now: start)
        #expect(glue.nextDeadline() == start + .seconds(5))
        glue.wake()
        #expect(try #require(glue.nextDeadline()) <= ContinuousClock.now)
    }

    @Test func theServiceIsMadeWhenTheConfigHasAWireGuardSection() {
        var config = AgentConfig()
        config.wireguard = WireGuardGlueConfig(links: [S.link])
        let services = AgentServices.make(config: config, statePath: "/nonexistent/state.json", events: FakeCommands())
        #expect(services.map(\.name) == ["wireguard-glue"])
        #expect(AgentServices.make(config: AgentConfig(), statePath: "/nonexistent/state.json", events: FakeCommands()).isEmpty)
    }
}
