import FirewallKit

/// What the internet may reach on the uplink: SSH from the admins and fastd from the nodes, nothing else.
extension IntentBuilder {
    var uplinkScope: String { "uplink \(uplink)" }

    func uplinkIntents() -> [FirewallIntent] {
        var intents = sshAccepted()
        let sshPort = UInt16(site.access.sshPort)
        if let refused = addresses.refusedSSHSource {
            let packet = toUplink(.tcp(from: refused, to: addresses.uplinkAddress, port: sshPort, in: uplink))
            let sentence = addresses.allowedSSHSources.isEmpty
                ? "SSH (tcp/\(sshPort)) is refused (ssh_allow_from lists no \(family.displayName) prefix)"
                : "SSH from outside ssh_allow_from (\(refused)) is refused"
            intents.append(intent((.uplink, nil, "refused-ssh"), uplinkScope, sentence, packet, .input, .blocked))
        }
        for mesh in site.views(for: gateway) {
            for instance in mesh.domain.fastdInstances(on: mesh.entry) {
                let port = UInt16(instance.port)
                let packet = toUplink(.udp(from: addresses.internetHost, to: addresses.uplinkAddress, port: port, in: uplink))
                let (id, name) = instance.number == 1 ? ("fastd", mesh.domain.code) : ("fastd-\(instance.number)", instance.name)
                intents.append(intent((.uplink, mesh.domain.code, id), uplinkScope, "fastd \(name) (udp/\(port)) is open to nodes", packet, .input, .accepted))
            }
        }
        intents += backboneIntents()
        intents += wireguardIntents()
        intents += closedServices()
        let reply = toUplink(.udp(from: addresses.internetHost, to: addresses.uplinkAddress, sourcePort: 53, port: 40000, in: uplink, state: .established))
        intents.append(intent((.uplink, nil, "replies"), uplinkScope, "replies to the gateway's own connections return", reply, .input, .accepted))
        return intents
    }

    /// NEW SSH from one address of every allowed prefix of this family; losing one of these locks an admin out.
    /// Their ids are `ssh`, or `ssh-1`, `ssh-2`… in `ssh_allow_from` order when the family has several prefixes.
    func sshAccepted() -> [FirewallIntent] {
        let port = UInt16(site.access.sshPort)
        let several = addresses.allowedSSHSources.count > 1
        return addresses.allowedSSHSources.enumerated().map { index, allowed in
            let (source, prefix) = allowed
            let packet = toUplink(.tcp(from: source, to: addresses.uplinkAddress, port: port, in: uplink))
            let from = prefix.prefixLength == 0 ? "anywhere" : "\(prefix)"
            return intent((.uplink, nil, several ? "ssh-\(index + 1)" : "ssh"), uplinkScope, "SSH (tcp/\(port)) from \(from) is accepted", packet, .input, .accepted)
        }
    }

    /// The mesh services must not answer the internet: no open resolver, no NTP amplifier, no DHCP, no node data.
    private func closedServices() -> [FirewallIntent] {
        var services: [(String, String, UInt16, Bool)] = [
            ("closed-dns-udp", "DNS over UDP is closed (no open resolver)", 53, false), ("closed-dns-tcp", "DNS over TCP is closed", 53, true),
            ("closed-ntp", "NTP is closed (no NTP amplifier)", 123, false),
        ]
        services.append(family == .ipv4 ? ("closed-dhcp", "DHCP is closed", 67, false) : ("closed-dhcpv6", "DHCPv6 is closed", 547, false))
        if site.services.monitoring.respondd { services.append(("closed-respondd", "respondd (udp/1001) is closed", 1001, false)) }
        if site.services.monitoring.alfred { services.append(("closed-alfred", "alfred (udp/16962) is closed", 16962, false)) }
        if site.services.monitoring.nodeExporter { services.append(("closed-node-exporter", "node-exporter metrics (tcp/9100) are closed", 9100, true)) }
        let fastdPorts = site.domains.flatMap { $0.fastdInstances(on: nil) + $0.fastdInstances(on: gateway.domain($0.code)) }.map { UInt16($0.port) }
        let opened = Set([UInt16(site.access.sshPort)] + fastdPorts + backbonePorts + wireguardPorts)
        let openings = site.firewall.openings.filter { $0.side == .uplink }
        func isOpen(_ port: UInt16, _ transport: FirewallOpening.TransportProtocol) -> Bool {
            opened.contains(port) || openings.contains { $0.transport == transport && $0.ports.contains(Int(port)) }
        }
        if let tcp = [UInt16(80), 443, 8080, 3306].first(where: { !isOpen($0, .tcp) }) {
            services.append(("closed-unused-tcp", "a port gwsetup does not open (tcp/\(tcp)) is closed", tcp, true))
        }
        if let udp = [UInt16(161), 500, 5353].first(where: { !isOpen($0, .udp) }) {
            services.append(("closed-unused-udp", "a port gwsetup does not open (udp/\(udp)) is closed", udp, false))
        }
        let source = addresses.refusedSSHSource ?? addresses.internetHost
        return services.map { service, sentence, port, tcp in
            let packet = tcp ? Packet.tcp(from: source, to: addresses.uplinkAddress, port: port, in: uplink)
                             : Packet.udp(from: source, to: addresses.uplinkAddress, port: port, in: uplink)
            return intent((.uplink, nil, service), uplinkScope, sentence, toUplink(packet), .input, .blocked)
        }
    }

    private func toUplink(_ packet: Packet) -> Packet { packet.typed(source: .unicast, destination: .local) }
}
