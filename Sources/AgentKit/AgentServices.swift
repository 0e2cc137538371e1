/// Which services a config turns on; one line per feature.
public enum AgentServices {
    public static func make(config: AgentConfig, statePath: String, events: any EventSink) -> [any AgentService] {
        var services: [any AgentService] = []
        if let uplink = config.uplink {
            let round = ProbeRound(targets: uplink.targets, timeout: uplink.timeout, interface: uplink.interface)
            services.append(UplinkService(config: uplink, round: round, drainSwitch: DrainSwitch(actions: uplink.drain, commands: SpawnedCommands()),
                                          statePath: statePath, events: events))
        }
        var responder: RespondResponder?
        if let respondd = config.respondd {
            do {
                let opened = try RespondResponder(config: respondd.fillingFastdKeys(), source: LiveRespondSource())
                responder = opened
                services.append(RespondService(responder: opened))
            } catch {
                events.record(AgentEvent(name: "respondd-failed", message: "respondd does not answer: \(error)", priority: 3))
            }
        }
        if let metrics = config.metrics {
            services.append(MetricsService(collector: MetricsCollector(config: metrics, inputs: LiveMetricsInputs()),
                                           statePath: statePath, responder: responder))
        }
        if let wireguard = config.wireguard {
            services.append(WireGuardGlueService(config: wireguard, commands: SpawnedCapture(), events: events))
        }
        return services
    }
}
