#if canImport(Glibc)
import Glibc
#endif

/// Keeps each WireGuard mesh link's VXLAN flooding to, and routing, exactly the nodes with a recent handshake,
/// every `interval` seconds and at once on SIGHUP (the gateway's peer sync reloads the agent after changing peers).
public final class WireGuardGlueService: AgentService {
    public let name = "wireguard-glue"
    private let config: WireGuardGlueConfig
    private let commands: any CapturingCommandRunner
    private let events: any EventSink
    private let interfacePresent: @Sendable (String) -> Bool
    private let wallClock: @Sendable () -> Int
    private var next = ContinuousClock.now
    /// Per WireGuard interface, the commands that failed last round: a failure is reported when it starts, not every round.
    private var failing: [String: Set<[String]>] = [:]
    /// Per WireGuard interface, the unparsed line count last reported.
    private var unparsed: [String: Int] = [:]

    /// `interfacePresent` and `wallClock` are the system's (/sys/class/net, time()) unless a test passes its own.
    public init(config: WireGuardGlueConfig, commands: any CapturingCommandRunner, events: any EventSink,
                interfacePresent: @escaping @Sendable (String) -> Bool = WireGuardGlueService.interfaceExists,
                wallClock: @escaping @Sendable () -> Int = { Int(time(nil)) }) {
        self.config = config
        self.commands = commands
        self.events = events
        self.interfacePresent = interfacePresent
        self.wallClock = wallClock
    }

    public func nextDeadline() -> ContinuousClock.Instant? { next }

    public func tick(now: ContinuousClock.Instant) {
        next = now + .seconds(config.interval)
        sync()
    }

    /// Peers changed (or an admin asked): the next loop turn syncs rather than the next interval.
    public func wake() { next = .now }

    /// One round over every link; a link whose interfaces are not there yet (domain not up) is skipped quietly.
    public func sync() {
        for link in config.links {
            guard interfacePresent(link.wireguard), interfacePresent(link.vxlan) else { continue }
            record(GlueRound(link: link, commands: commands).run(now: wallClock()), link: link)
        }
    }

    private func record(_ report: GlueRound.Report, link: WireGuardGlueConfig.Link) {
        func fields(_ node: GluePlan.NodeChange) -> [String: String] {
            ["interface": link.wireguard, "vxlan": link.vxlan, "address": node.address.description, "reason": node.reason]
                .merging(node.publicKey.map { ["public_key": $0] } ?? [:]) { a, _ in a }
        }
        for node in report.pruned {
            events.record(AgentEvent(name: "wireguard-node-pruned", message: "\(link.wireguard): node \(node.address) pruned (\(node.reason))",
                                     priority: 5, fields: fields(node)))
        }
        for node in report.added {
            events.record(AgentEvent(name: "wireguard-node-added", message: "\(link.wireguard): node \(node.address) flooded and routed (\(node.reason))",
                                     priority: 5, fields: fields(node)))
        }
        let before = failing[link.wireguard] ?? []
        for failure in report.failures where !before.contains(failure.arguments) {
            let command = failure.arguments.joined(separator: " ")
            let why = failure.capture.errorOutput.split(separator: "\n").first.map { ": \($0)" } ?? ""
            events.record(AgentEvent(name: "wireguard-glue-failed", message: "\(link.wireguard): `\(command)` failed (status \(failure.capture.status))\(why)",
                                     priority: 3, fields: ["interface": link.wireguard, "command": command, "status": String(failure.capture.status)]))
        }
        failing[link.wireguard] = Set(report.failures.map(\.arguments))
        if report.ignoredLines > 0, report.ignoredLines != unparsed[link.wireguard] {
            events.record(AgentEvent(name: "wireguard-glue-unparsed", message: "\(link.wireguard): \(report.ignoredLines) lines of wg, bridge or ip output ignored",
                                     priority: 4, fields: ["interface": link.wireguard, "lines": String(report.ignoredLines)]))
        }
        unparsed[link.wireguard] = report.ignoredLines
    }

    /// Whether the kernel has the interface now; the name was checked by the config, so it is no path trick.
    public static let interfaceExists: @Sendable (String) -> Bool = { name in
        WireGuardGlueConfig.isInterfaceName(name) && access("/sys/class/net/\(name)", F_OK) == 0
    }
}
