import GatewayBase
import FirewallKit

/// The site's own `firewall.open` entries: accepted from their sources, refused from outside them, and closed to a
/// family their `from` leaves out.
extension IntentBuilder {
    func openingIntents() -> [FirewallIntent] {
        site.firewall.openings.flatMap { opening -> [FirewallIntent] in
            switch opening.side {
            case .uplink: uplinkOpeningIntents(opening)
            case .mesh: meshes.flatMap { meshOpeningIntents(opening, $0) }
            }
        }
    }

    private func uplinkOpeningIntents(_ opening: FirewallOpening) -> [FirewallIntent] {
        let senders = (opening.sources(of: family) ?? []).map { prefix in (prefix.map(\.sampleHost) ?? addresses.internetHost, prefix) }
        let outsider = addresses.internetHost(outside: opening.sources.filter { $0.family == family })
        return intents(for: opening, scope: (.uplink, nil, uplinkScope), to: addresses.uplinkAddress, in: uplink,
                       senders: senders, outsider: outsider)
    }

    private func meshOpeningIntents(_ opening: FirewallOpening, _ mesh: MeshSide) -> [FirewallIntent] {
        // The domain's own client stands for a source prefix that holds it, so the packet looks like real mesh traffic.
        let senders = (opening.sources(of: family) ?? []).map { prefix in
            (prefix.map { $0.contains(mesh.client) ? mesh.client : $0.sampleHost } ?? mesh.client, prefix)
        }
        let restricted = opening.sources.filter { $0.family == family }
        let outsider = restricted.contains { $0.contains(mesh.client) } ? addresses.internetHost(outside: restricted) : mesh.client
        return intents(for: opening, scope: (.mesh, mesh.code, "mesh \(mesh.code)"), to: mesh.gatewayAddress, in: mesh.bridge,
                       senders: senders, outsider: outsider)
    }

    /// One accepted intent per source prefix (and the last port of a range from the first), a refused one from outside
    /// a restricted `from`, or a closed one when `from` names no prefix of this family.
    private func intents(for opening: FirewallOpening, scope: (key: IntentID.Scope, domain: String?, text: String), to destination: IPAddress,
                         in interface: String, senders: [(IPAddress, IPNetwork?)], outsider: IPAddress?) -> [FirewallIntent] {
        func packet(from source: IPAddress, port: Int) -> Packet {
            let port = UInt16(port)
            let bare = opening.transport == .tcp ? Packet.tcp(from: source, to: destination, port: port, in: interface)
                                                 : Packet.udp(from: source, to: destination, port: port, in: interface)
            return bare.typed(source: .unicast, destination: .local)
        }
        let service = "open-\(opening.name)"
        let what = "\(opening.name) (\(opening.label))"
        guard !senders.isEmpty else {
            let sentence = "\(what) is closed (its 'from' lists no \(family.displayName) prefix)"
            return [intent((scope.key, scope.domain, "closed-\(service)"), scope.text, sentence,
                           packet(from: outsider ?? addresses.internetHost, port: opening.ports.lowerBound), .input, .blocked)]
        }
        let several = senders.count > 1
        var intents = senders.enumerated().map { index, sender in
            let from = sender.1.map { " from \($0)" } ?? ""
            return intent((scope.key, scope.domain, several ? "\(service)-\(index + 1)" : service), scope.text, "\(what)\(from) is accepted",
                          packet(from: sender.0, port: opening.ports.lowerBound), .input, .accepted)
        }
        if opening.ports.count > 1, let first = senders.first {
            intents.append(intent((scope.key, scope.domain, "\(service)-last-port"), scope.text,
                                  "\(what): its last port \(opening.transport.rawValue)/\(opening.ports.upperBound) is accepted",
                                  packet(from: first.0, port: opening.ports.upperBound), .input, .accepted))
        }
        if senders.contains(where: { $0.1 != nil }), let outsider {
            intents.append(intent((scope.key, scope.domain, "refused-\(service)"), scope.text, "\(what) from outside its 'from' (\(outsider)) is refused",
                                  packet(from: outsider, port: opening.ports.lowerBound), .input, .blocked))
        }
        return intents
    }
}
