import FirewallKit

/// Routing between a mesh and the way out (the uplink, or the exit tunnel): clients get out (NATed, MSS clamped),
/// the internet does not get in, and with an exit nothing of the clients' goes to the uplink unless it is the fallback.
extension IntentBuilder {
    func forwardIntents(_ mesh: MeshSide) -> [FirewallIntent] {
        let way = mesh.exit == nil ? uplink : ExitTunnel.interface
        let outward = "forward \(mesh.code) → \(way)"
        let inward = "forward \(way) → \(mesh.code)"
        let internet = addresses.internetHost
        let newConnection = Packet.tcp(from: mesh.client, to: internet, port: 443, in: mesh.bridge, out: way)
            .typed(source: .unicast, destination: .unicast)
        let intruder = Packet.tcp(from: internet, to: mesh.client, port: 22, in: way, out: mesh.bridge)
            .typed(source: .unicast, destination: .unicast)
        let reply = Packet.tcp(from: internet, to: mesh.client, sourcePort: 443, port: 40000, in: way, out: mesh.bridge, state: .established)
            .typed(source: .unicast, destination: .unicast)
        guard mesh.reachesInternet else {
            // A unique-local prefix has no way back from the internet: refusing at once lets clients fall back to IPv4.
            return [
                intent((.forward, mesh.code, "refused-unique-local"), outward, "clients of a unique-local prefix (\(mesh.prefix)) are refused", newConnection, .forward, .blocked),
                intent((.forward, mesh.code, "refused-inbound"), inward, "new connections from the internet are refused", intruder, .forward, .blocked),
            ]
        }
        var intents = [
            intent((.forward, mesh.code, "outbound"), outward, "new client connections are forwarded", newConnection, .forward, .accepted),
            intent((.forward, mesh.code, "refused-inbound"), inward, "new connections from the internet are refused", intruder, .forward, .blocked),
            intent((.forward, mesh.code, "replies"), inward, "replies to clients return", reply, .forward, .accepted),
        ]
        if family == .ipv4 {
            intents.append(intent((.forward, mesh.code, "masquerade"), outward, "clients (\(mesh.prefix)) are masqueraded", newConnection, .forward, .sourceTranslated))
        }
        // The narrower of the mesh and the exit decides what a SYN may carry.
        let (mss, narrowest) = mesh.exit.map { UInt16($0.mss) }.flatMap { $0 < mesh.mss ? ($0, "exit") : nil } ?? (mesh.mss, "mesh")
        intents.append(intent((.forward, mesh.code, "mss-clamp"), outward, "TCP MSS is set to the \(narrowest)'s \(mss) on SYNs", newConnection, .forward, .mssSetAtMost(mss)))
        if let exit = mesh.exit { intents += uplinkIntents(mesh, exit) }
        return intents
    }

    /// With an exit, the clients' packets that routing would put on the uplink: refused, or NATed there as the fallback.
    private func uplinkIntents(_ mesh: MeshSide, _ exit: ExitTunnel) -> [FirewallIntent] {
        let scope = "forward \(mesh.code) → \(uplink)"
        let leak = Packet.tcp(from: mesh.client, to: addresses.internetHost, port: 443, in: mesh.bridge, out: uplink)
            .typed(source: .unicast, destination: .unicast)
        switch exit.fallback {
        case .none:
            return [intent((.forward, mesh.code, "refused-uplink"), scope, "clients are not forwarded to the uplink, only through the exit", leak, .forward, .blocked)]
        case .uplink:
            return [
                intent((.forward, mesh.code, "fallback-uplink"), scope, "clients are forwarded to the uplink while the exit is down (fallback: uplink)", leak, .forward, .accepted),
                intent((.forward, mesh.code, "fallback-masquerade"), scope, "clients are masqueraded on the uplink while the exit is down", leak, .forward, .sourceTranslated),
            ]
        }
    }
}
