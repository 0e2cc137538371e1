import GatewayBase
import AgentKit

extension DesiredStateBuilder {
    /// The respondd and metrics sections of agent.json (no uplink section): respondd when the site answers the node
    /// map, metrics when it runs node-exporter; from the site alone.
    func agentObservabilitySections(_ gateway: Gateway, _ views: [GatewayDomainView]) -> AgentConfig {
        let monitoring = site.services.monitoring
        var sections = AgentConfig()
        if monitoring.respondd {
            sections.respondd = .init(
                hostname: gateway.name, siteCode: site.identity.code, contact: monitoring.contact,
                domains: views.map { view in
                    let instances = view.domain.fastdInstances(on: view.entry)
                    // The mesh VPN's hard interfaces: each fastd tap, then WireGuard's VXLAN.
                    let interfaces = instances.map(\.interface) + (view.domain.wireguard == nil ? [] : [view.domain.vxlanInterface])
                    var domain = AgentKit.RespondConfig.Domain(
                        code: view.domain.code, bridge: view.domain.bridgeInterface, mesh: view.domain.batmanInterface,
                        vpnInterface: interfaces[0], fastdPublicKey: instances.isEmpty ? nil : view.entry.fastdPublicKey,
                        fastdConfig: instances.first?.configPath)
                    if interfaces.count > 1 { domain.moreVPNInterfaces = Array(interfaces.dropFirst()) }
                    return domain
                })
        }
        if monitoring.nodeExporter {
            sections.metrics = .init(
                textfile: Self.textfileDirectory + "/gwsetup.prom", leaseFile: "/var/lib/misc/dnsmasq.leases",
                domains: views.map { view in
                    let instances = view.domain.fastdInstances(on: view.entry)
                    var domain = AgentKit.MetricsConfig.Domain(
                        code: view.domain.code, mesh: view.domain.batmanInterface, fastdSocket: instances.first?.statusSocket,
                        fastdPeerLimit: view.domain.fastd.peerLimit,
                        dhcpRanges: view.dhcpRanges.map { .init(first: $0.first.description, last: $0.last.description) })
                    if instances.count > 1 { domain.moreFastdSockets = instances.dropFirst().map(\.statusSocket) }
                    return domain
                })
        }
        return sections
    }
}
