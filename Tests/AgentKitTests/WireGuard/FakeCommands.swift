import Foundation
@testable import AgentKit

/// A scripted command runner and event sink: answers by argument vector, records every vector it was given.
final class FakeCommands: CapturingCommandRunner, EventSink, @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [[String]: CommandCapture]
    private var _calls: [[String]] = []
    private var _events: [AgentEvent] = []

    init(_ answers: [[String]: CommandCapture] = [:]) { self.answers = answers }

    var calls: [[String]] { lock.withLock { _calls } }
    var events: [AgentEvent] { lock.withLock { _events } }

    func answer(_ arguments: [String], _ capture: CommandCapture) { lock.withLock { answers[arguments] = capture } }

    func capture(_ arguments: [String]) -> CommandCapture {
        lock.withLock {
            _calls.append(arguments)
            return answers[arguments] ?? CommandCapture(status: 0)
        }
    }

    func record(_ event: AgentEvent) { lock.withLock { _events.append(event) } }

    /// The four reads of one link, answered with the samples.
    static func sampled(_ link: WireGuardGlueConfig.Link = GlueSamples.link) -> FakeCommands {
        let reads = WireGuardPeers.commands(interface: link.wireguard)
        return FakeCommands([
            reads[0]: CommandCapture(status: 0, output: GlueSamples.handshakes),
            reads[1]: CommandCapture(status: 0, output: GlueSamples.allowedIPs),
            FloodEntries.command(vxlan: link.vxlan): CommandCapture(status: 0, output: GlueSamples.flood),
            NodeRoutes.command(wireguard: link.wireguard): CommandCapture(status: 0, output: GlueSamples.routes),
        ])
    }
}
