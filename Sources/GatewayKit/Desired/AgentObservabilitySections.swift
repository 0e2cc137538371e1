import Foundation
import GatewayBase

/// The respondd and metrics sections of /etc/gwsetup/agent.json, the writing side of AgentKit's RespondConfig and
/// MetricsConfig (GatewayKit and the agent share no code; a test decodes this output with the agent's own types).
struct AgentObservabilitySections: Encodable {
    struct RespondDomain: Encodable {
        var code: String
        var bridge: String
        var mesh: String
        var vpnInterface: String
        var fastdPublicKey: String?
        var fastdConfig: String
        enum CodingKeys: String, CodingKey {
            case code, bridge, mesh, vpnInterface = "vpn_interface", fastdPublicKey = "fastd_public_key", fastdConfig = "fastd_config"
        }
    }

    struct Respondd: Encodable {
        var hostname: String
        var siteCode: String
        var contact: String?
        var domains: [RespondDomain]
        var port = 1001
        var burst = 10
        var perSecond = 1.0
        enum CodingKeys: String, CodingKey {
            case hostname, siteCode = "site_code", contact, domains, port, burst, perSecond = "per_second"
        }
    }

    struct DHCPRange: Encodable {
        var first: String
        var last: String
    }

    struct MetricsDomain: Encodable {
        var code: String
        var mesh: String
        var fastdSocket: String
        var fastdPeerLimit: Int?
        var dhcpRanges: [DHCPRange]
        enum CodingKeys: String, CodingKey {
            case code, mesh, fastdSocket = "fastd_socket", fastdPeerLimit = "fastd_peer_limit", dhcpRanges = "dhcp_ranges"
        }
    }

    struct Metrics: Encodable {
        var textfile: String
        var leaseFile: String
        var domains: [MetricsDomain]
        var interval = 30
        enum CodingKeys: String, CodingKey { case textfile, leaseFile = "lease_file", domains, interval }
    }

    var respondd: Respondd?
    var metrics: Metrics?

    /// Whether the agent has anything of observability to run on this gateway.
    var isEmpty: Bool { respondd == nil && metrics == nil }
}

extension DesiredStateBuilder {
    /// respondd when the site answers the node map, metrics when it runs node-exporter; from the site alone.
    func agentObservabilitySections(_ gateway: Gateway, _ views: [GatewayDomainView]) -> AgentObservabilitySections {
        let monitoring = site.services.monitoring
        var sections = AgentObservabilitySections()
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
