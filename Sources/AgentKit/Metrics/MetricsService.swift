/// The textfile collector in the agent's run loop: every `interval` seconds it gathers the figures and rewrites
/// node-exporter's .prom file whole; uplink figures come from the agent's state file, respondd's from the responder.
public final class MetricsService: AgentService {
    public let name = "metrics"
    private let collector: MetricsCollector
    private let statePath: String
    private let responder: RespondResponder?
    private var next = ContinuousClock.now

    public init(collector: MetricsCollector, statePath: String, responder: RespondResponder?) {
        self.collector = collector
        self.statePath = statePath
        self.responder = responder
    }

    public func nextDeadline() -> ContinuousClock.Instant? { next }

    public func tick(now: ContinuousClock.Instant) {
        next = now + .seconds(max(5, collector.config.interval))
        let uplink = AgentState.load(path: statePath).uplink.map {
            UplinkFigures(up: $0.verdict == .up, drained: $0.drained, maintenance: $0.maintenance,
                          transitionsDown: $0.transitionsDown, transitionsUp: $0.transitionsUp)
        }
        _ = collector.write(collector.collect(uplink: uplink, respondd: responder?.statistics))
    }
}
