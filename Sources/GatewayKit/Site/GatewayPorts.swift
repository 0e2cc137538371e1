import GatewayBase

/// The ports gwsetup itself opens or keeps closed, which a site's own opening may not touch.
struct GatewayPorts {
    struct Claim {
        var transport: FirewallOpening.TransportProtocol
        var port: Int
        var reason: String
    }

    /// On the uplink: SSH and fastd are opened by their own settings; the mesh services must stay closed there.
    var uplinkOwned: [Claim] = []
    /// On the mesh bridges: what every client already reaches.
    var meshOpened: [Claim] = []

    init(site: Site) {
        uplinkOwned.append(Claim(transport: .tcp, port: site.access.sshPort, reason: "is SSH, which access.ssh_allow_from opens"))
        for domain in site.domains {
            // The domain's own ports and every gateway's override: an opening may not shadow any of them.
            let instances = domain.fastdInstances(on: nil) + site.gateways.compactMap { $0.domain(domain.code) }.filter { $0.fastdPort != nil }.flatMap { domain.fastdInstances(on: $0) }
            var seen = Set<Int>()
            for instance in instances where seen.insert(instance.port).inserted {
                uplinkOwned.append(Claim(transport: .udp, port: instance.port, reason: "is fastd of domain '\(domain.code)', already open to nodes"))
            }
            if let wireguard = domain.wireguard {
                uplinkOwned.append(Claim(transport: .udp, port: wireguard.port, reason: "is WireGuard of domain '\(domain.code)', already open to nodes"))
            }
            if let port = site.backbonePort(of: domain) {
                for transport in FirewallOpening.TransportProtocol.allCases {
                    uplinkOwned.append(Claim(transport: transport, port: port, reason: "is tinc of domain '\(domain.code)', already open to the backbone"))
                }
            }
        }
        let monitoring = site.services.monitoring
        var mesh: [(FirewallOpening.TransportProtocol, Int, String, String)] = [
            (.udp, 67, "DHCP", "would answer DHCP from the internet"),
            (.udp, 53, "DNS", "would make the gateway an open resolver"),
            (.tcp, 53, "DNS", "would make the gateway an open resolver"),
            (.udp, 123, "NTP", "would make the gateway an NTP amplifier"),
        ]
        if monitoring.respondd { mesh.append((.udp, 1001, "respondd", "would hand node data to the internet")) }
        if monitoring.alfred { mesh.append((.udp, 16962, "alfred", "would hand node data to the internet")) }
        if monitoring.nodeExporter { mesh.append((.tcp, DesiredStateBuilder.nodeExporterPort, "node-exporter metrics", "would publish the gateway's metrics")) }
        for (transport, port, service, danger) in mesh {
            meshOpened.append(Claim(transport: transport, port: port, reason: "is already open for \(service)"))
            uplinkOwned.append(Claim(transport: transport, port: port, reason: "\(danger) (\(service) stays closed there)"))
        }
        uplinkOwned.append(Claim(transport: .udp, port: 547, reason: "would answer DHCPv6 from the internet (it stays closed there)"))
    }
}
