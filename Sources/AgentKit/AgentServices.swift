/// Which services a config turns on; one line per feature.
public enum AgentServices {
    public static func make(config: AgentConfig, statePath: String, events: any EventSink) -> [any AgentService] {
        var services: [any AgentService] = []
        if let uplink = config.uplink {
            let round = ProbeRound(targets: uplink.targets, timeout: uplink.timeout, interface: uplink.interface)
            services.append(UplinkService(config: uplink, probe: { round.run() }, drainSwitch: DrainSwitch(actions: uplink.drain, commands: SpawnedCommands()),
                                          statePath: statePath, events: events))
        }
        return services
    }
}
