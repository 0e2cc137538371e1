import GatewayBase
import FirewallKit

/// What the gateway must answer on a mesh bridge: the services every client needs to get online.
extension IntentBuilder {
    /// ND, MLD and RA/RS carry no connection: conntrack marks them UNTRACKED, so an "INVALID → DROP" rule never sees them.
    private static let linkLocalNode = IPAddress("fe80::200:5eff:fe00:5301")!
    private static let linkLocalRouter = IPAddress("fe80::200:5eff:fe00:5302")!
    private static let gatewayLinkLocal = IPAddress("fe80::1")!

    func meshIntents(_ mesh: MeshSide) -> [FirewallIntent] {
        let scope = "mesh \(mesh.code)"
        let answered = { (port: UInt16, tcp: Bool) -> Packet in
            let packet = tcp ? Packet.tcp(from: mesh.client, to: mesh.gatewayAddress, port: port, in: mesh.bridge)
                             : Packet.udp(from: mesh.client, to: mesh.gatewayAddress, port: port, in: mesh.bridge)
            return packet.typed(source: .unicast, destination: .local)
        }
        var intents: [FirewallIntent] = []
        if family == .ipv4 {
            let discover = Packet.udp(from: IPAddress("0.0.0.0")!, to: IPAddress("255.255.255.255")!, sourcePort: 68, port: 67, in: mesh.bridge)
                .typed(source: .broadcast, destination: .broadcast, packetType: .broadcast)
            intents.append(intent((.mesh, mesh.code, "dhcp"), scope, "DHCP from clients is answered", discover, .input, .accepted))
        }
        intents += [
            intent((.mesh, mesh.code, "dns-udp"), scope, "DNS over UDP from clients is answered", answered(53, false), .input, .accepted),
            intent((.mesh, mesh.code, "dns-tcp"), scope, "DNS over TCP from clients is answered", answered(53, true), .input, .accepted),
            intent((.mesh, mesh.code, "ntp"), scope, "NTP from clients is answered", answered(123, false), .input, .accepted),
        ]
        let echo = Packet.icmp(from: mesh.client, to: mesh.gatewayAddress, type: family == .ipv4 ? 8 : 128, in: mesh.bridge)
            .typed(source: .unicast, destination: .local)
        intents.append(intent((.mesh, mesh.code, "ping"), scope, "ping from clients is answered", echo, .input, .accepted))
        if site.services.monitoring.nodeExporter {
            intents.append(intent((.mesh, mesh.code, "node-exporter"), scope, "node-exporter metrics (tcp/9100) are served", answered(9100, true), .input, .accepted))
        }
        if site.services.monitoring.respondd {
            intents.append(intent((.mesh, mesh.code, "respondd-unicast"), scope, "unicast respondd query (udp/1001) is answered", answered(1001, false), .input, .accepted))
        }
        if family == .ipv6 { intents += neighbourDiscovery(mesh, scope: scope) }
        return intents
    }

    /// ICMPv6 the mesh cannot work without, and the node-map daemons, which speak IPv6 link-local only.
    private func neighbourDiscovery(_ mesh: MeshSide, scope: String) -> [FirewallIntent] {
        func icmpv6(_ type: UInt8, from source: IPAddress, to destination: String, multicast: Bool) -> Packet {
            var packet = Packet.icmp(from: source, to: IPAddress(destination)!, type: type, in: mesh.bridge, state: .untracked)
                .typed(source: .unicast, destination: multicast ? .multicast : .local, packetType: multicast ? .multicast : .unicast)
            if destination == "\(mesh.gatewayAddress)" { packet.destinationAddressTypes = .local }
            return packet
        }
        let solicitedNode = solicitedNodeAddress(of: mesh.gatewayAddress)
        var intents = [
            intent((.mesh, mesh.code, "neighbour-solicitation"), scope, "neighbour solicitation for the gateway is answered",
                   icmpv6(135, from: mesh.client, to: solicitedNode, multicast: true), .input, .accepted),
            intent((.mesh, mesh.code, "neighbour-advertisement"), scope, "neighbour advertisement to the gateway is received",
                   icmpv6(136, from: mesh.client, to: "\(mesh.gatewayAddress)", multicast: false), .input, .accepted),
            intent((.mesh, mesh.code, "router-solicitation"), scope, "router solicitation from clients is answered",
                   icmpv6(133, from: Self.linkLocalNode, to: "ff02::2", multicast: true), .input, .accepted),
            intent((.mesh, mesh.code, "router-advertisement"), scope, "router advertisement from another router is received",
                   icmpv6(134, from: Self.linkLocalRouter, to: "ff02::1", multicast: true), .input, .accepted),
            intent((.mesh, mesh.code, "mld-report"), scope, "MLDv2 listener report is received",
                   icmpv6(143, from: Self.linkLocalNode, to: "ff02::16", multicast: true), .input, .accepted),
            intent((.mesh, mesh.code, "mld-query"), scope, "MLD query from another router is received",
                   icmpv6(130, from: Self.linkLocalRouter, to: "ff02::1", multicast: true), .input, .accepted),
        ]
        var advertisement = Packet.icmp(from: Self.gatewayLinkLocal, to: IPAddress("ff02::1")!, type: 134, out: mesh.bridge, state: .untracked)
            .typed(source: .local, destination: .multicast, packetType: .multicast)
        advertisement.inInterface = nil
        intents.append(intent((.mesh, mesh.code, "router-advertisement-out"), scope, "the gateway's router advertisements go out", advertisement, .output, .accepted))
        let monitoring = site.services.monitoring
        if monitoring.respondd {
            let query = Packet.udp(from: Self.linkLocalNode, to: IPAddress("ff05::2:1001")!, port: 1001, in: mesh.bridge)
                .typed(source: .unicast, destination: .multicast, packetType: .multicast)
            intents.append(intent((.mesh, mesh.code, "respondd"), scope, "respondd query (udp/1001) is answered", query, .input, .accepted))
        }
        if monitoring.alfred {
            let announcement = Packet.udp(from: Self.linkLocalRouter, to: IPAddress("ff02::1")!, sourcePort: 16962, port: 16962, in: mesh.bridge)
                .typed(source: .unicast, destination: .multicast, packetType: .multicast)
            intents.append(intent((.mesh, mesh.code, "alfred"), scope, "alfred (udp/16962) from other gateways is received", announcement, .input, .accepted))
        }
        return intents
    }

    /// ff02::1:ffXX:XXXX, where a neighbour solicitation for `address` is sent.
    private func solicitedNodeAddress(of address: IPAddress) -> String {
        guard case .v6(let v6) = address else { return "ff02::1" }
        return IPv6Address(high: 0xff02_0000_0000_0000, low: 0x0000_0001_ff00_0000 | (v6.low & 0xff_ffff)).description
    }
}
