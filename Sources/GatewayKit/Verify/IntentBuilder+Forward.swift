import FirewallKit

/// Routing between a mesh and the uplink: clients get out (NATed, MSS clamped), the internet does not get in.
extension IntentBuilder {
    func forwardIntents(_ mesh: MeshSide) -> [FirewallIntent] {
        let outward = "forward \(mesh.code) → \(uplink)"
        let inward = "forward \(uplink) → \(mesh.code)"
        let internet = addresses.internetHost
        let newConnection = Packet.tcp(from: mesh.client, to: internet, port: 443, in: mesh.bridge, out: uplink)
            .typed(source: .unicast, destination: .unicast)
        let intruder = Packet.tcp(from: internet, to: mesh.client, port: 22, in: uplink, out: mesh.bridge)
            .typed(source: .unicast, destination: .unicast)
        let reply = Packet.tcp(from: internet, to: mesh.client, sourcePort: 443, port: 40000, in: uplink, out: mesh.bridge, state: .established)
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
        intents.append(intent((.forward, mesh.code, "mss-clamp"), outward, "TCP MSS is set to the mesh's \(mesh.mss) on SYNs", newConnection, .forward, .mssSetAtMost(mesh.mss)))
        return intents
    }
}
