import Foundation
import GatewayBase
import AgentKit

/// The gateway agent (`gwsetup-agent`): installed only when the site turns on a feature it runs (the uplink check,
/// the WireGuard glue), with its config, its unit, and the radvd drain variant it switches to.
extension DesiredStateBuilder {
    /// Its pieces, or nothing at all when no feature is on, so such a site's plans stay as they were.
    func agentResources(_ gateway: Gateway, _ views: [GatewayDomainView]) throws -> (files: [ManagedFile], binaries: [ManagedBinary], units: [ManagedUnit]) {
        let glue = wireguardGlue(views)
        guard site.services.uplinkCheck != nil || glue != nil else { return ([], [], []) }
        let agent = DesiredState.agentUnit
        var config = AgentConfig()
        config.wireguard = glue
        var files: [ManagedFile] = []
        let unitCheck = #"dir=$(mktemp -d) && trap 'rm -rf "$dir"' EXIT && cp "$FILE" "$dir/$NAME" && systemd-analyze verify "$dir/$NAME""#
        if let uplink = site.services.uplinkCheck {
            config.uplink = UplinkConfig(
                targets: uplink.targets.map(UplinkConfig.Target.init),
                interval: uplink.interval, failAfter: uplink.failAfter, recoverAfter: uplink.recoverAfter, timeout: uplink.timeout,
                // With an exit the clients' internet is the exit's: the probes go through it, so a dead exit drains. With the
                // uplink as its fallback the clients still get out when it dies, so the uplink is what is probed.
                interface: site.exit(for: gateway)?.fallback == ExitTunnel.Fallback.none ? ExitTunnel.interface : gateway.uplink,
                drain: .init(
                    batman: meshLinks(views).map { .init(interface: $0.batman, bandwidth: $0.settings.batctlBandwidth) },
                    dhcpUnit: views.contains { !$0.dhcpRanges.isEmpty } ? "dnsmasq.service" : nil,
                    radvdUnit: "radvd.service", radvdDrainUnit: DesiredState.radvdDrainUnit,
                    marker: LiveNetwork.drainedMarker, maintenanceMarker: DesiredState.maintenanceMarker))
            let observability = agentObservabilitySections(gateway, views)
            config.respondd = observability.respondd
            config.metrics = observability.metrics
            files += [
                ManagedFile(path: DesiredState.radvdDrainConfigPath, content: try radvdConfig(gateway, views, drained: true),
                            validator: #"radvd --configtest --config="$FILE""#),
                ManagedFile(path: "/etc/systemd/system/\(DesiredState.radvdDrainUnit)",
                            content: try renderer.render("systemd/gwsetup-radvd-drain.service", ["site_name": site.identity.name, "config": DesiredState.radvdDrainConfigPath]),
                            validator: unitCheck, triggers: [.command(.daemonReload)]),
            ]
        }
        let context: [String: any Sendable] = [
            "site_name": site.identity.name, "binary": DesiredState.agentBinaryPath, "config": DesiredState.agentConfigPath,
            "watchdog_seconds": site.services.uplinkCheck.map { max(30, $0.timeout * 3 + 10) } ?? 30,
            // ProtectSystem=strict keeps /var read-only; the metrics file is the one place outside /run it writes ("-": a
            // missing directory must not keep the uplink check from starting).
            "writable": config.metrics == nil ? [String]() : ["-" + Self.textfileDirectory],
        ]
        files.insert(ManagedFile(path: DesiredState.agentConfigPath, content: try config.json(), triggers: [.restart(agent)]), at: 0)
        files.append(ManagedFile(path: "/etc/systemd/system/\(agent)", content: try renderer.render("systemd/gwsetup-agent.service", context),
                                 validator: unitCheck, triggers: [.command(.daemonReload), .restart(agent)]))
        let binary = ManagedBinary(path: DesiredState.agentBinaryPath, triggers: [.restart(agent)])
        return (files, [binary], [ManagedUnit(name: agent)])
    }

    /// The agent's WireGuard section: each WireGuard domain's link pair and how long a silent node keeps its entries.
    func wireguardGlue(_ views: [GatewayDomainView]) -> WireGuardGlueConfig? {
        let links = Self.wireguardViews(views).compactMap { view in
            view.domain.wireguard.map { WireGuardGlueConfig.Link(wireguard: view.domain.wireguardInterface, vxlan: view.domain.vxlanInterface, pruneAfter: $0.pruneAfter) }
        }
        return links.isEmpty ? nil : WireGuardGlueConfig(links: links)
    }

    /// RFC 4191 for every gateway of a domain once the agent can drain it: all announce a default route, the site's
    /// chosen router with preference high and the others low; without the agent only the chosen one announces.
    func routerAdvertisementRole(_ view: GatewayDomainView, drained: Bool = false) -> [String: any Sendable] {
        guard site.services.uplinkCheck != nil else {
            return ["default_lifetime": view.isDefaultRouter ? 600 : 0, "has_preference": false, "preference": "medium"]
        }
        return ["default_lifetime": drained ? 0 : 600, "has_preference": true, "preference": view.isDefaultRouter ? "high" : "low"]
    }
}

extension DesiredState {
    public static let agentUnit = "gwsetup-agent.service"
    public static let agentBinaryPath = "/usr/local/lib/gwsetup/gwsetup-agent"
    public static let agentConfigPath = "/etc/gwsetup/agent.json"
    public static let radvdDrainUnit = "gwsetup-radvd-drain.service"
    public static let radvdDrainConfigPath = "/etc/gwsetup/radvd-drain.conf"
    /// `gwsetup maintenance on` leaves it; under /var/lib so a maintenance outlives the agent's restarts and reboots.
    public static let maintenanceMarker = "/var/lib/gwsetup/maintenance"
    /// The agent's state (AgentKit's AgentState): uplink verdict, drained, maintenance and the transition counters.
    public static let agentStatePath = "/run/gwsetup/agent-state.json"
}
