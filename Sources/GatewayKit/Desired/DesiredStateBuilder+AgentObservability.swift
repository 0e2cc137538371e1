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
                    .init(code: view.domain.code, bridge: view.domain.bridgeInterface, mesh: view.domain.batmanInterface,
                          vpnInterface: view.domain.fastdInterface, fastdPublicKey: view.entry.fastdPublicKey,
                          fastdConfig: "/etc/fastd/\(view.domain.code)/fastd.conf")
                })
        }
        if monitoring.nodeExporter {
            sections.metrics = .init(
                textfile: Self.textfileDirectory + "/gwsetup.prom", leaseFile: "/var/lib/misc/dnsmasq.leases",
                domains: views.map { view in
                    .init(code: view.domain.code, mesh: view.domain.batmanInterface, fastdSocket: "/run/fastd-\(view.domain.code).sock",
                          fastdPeerLimit: view.domain.fastd.peerLimit,
                          dhcpRanges: view.dhcpRanges.map { .init(first: $0.first.description, last: $0.last.description) })
                })
        }
        return sections
    }
}
