/// What one round changes on a link: nodes with a handshake younger than `pruneAfter` get an all-zero forwarding
/// entry via the WireGuard interface and a /128 route; every other node address the system has loses both.
public struct GluePlan: Sendable, Equatable {
    /// One node and the commands that bring it in step.
    public struct NodeChange: Sendable, Equatable {
        public var address: NodeAddress
        /// The peer whose allowed IP the address is; nil when no peer on the interface has it any more.
        public var publicKey: String?
        /// Why, for the event: the handshake's age, or that the peer is gone.
        public var reason: String
        public var changes: [GlueChange]
    }

    /// Nodes that get an entry or a route (or whose entry pointed elsewhere), in address order.
    public var additions: [NodeChange]
    /// Nodes pruned: stale or no handshake, or no longer a peer, in address order.
    public var removals: [NodeChange]

    /// `now` is wall-clock epoch seconds, the clock wg's handshake times are in; a handshake from the future
    /// (the clock stepped back) counts as fresh rather than pruning every node at once.
    public init(link: WireGuardGlueConfig.Link, peers: WireGuardPeers, flood: FloodEntries, routes: NodeRoutes, now: Int) {
        var wanted: [NodeAddress: (key: String, age: Int)] = [:]
        var claimed: [NodeAddress: WireGuardPeers.Peer] = [:]
        for peer in peers.peers {
            let age = now - peer.latestHandshake
            for node in peer.allowedIPs.compactMap({ NodeAddress(hostPrefix: $0) }) {
                claimed[node] = peer
                if peer.latestHandshake > 0 && age <= link.pruneAfter { wanted[node] = (peer.publicKey, max(0, age)) }
            }
        }
        let routed = Set(routes.addresses)
        var additions: [NodeChange] = []
        for (node, peer) in wanted.sorted(by: { $0.key < $1.key }) {
            let entries = flood.entries.filter { $0.address == node }
            var changes = entries.filter { $0.via != link.wireguard }.map { GlueChange.deleteFlood(node, via: $0.via) }
            if !entries.contains(where: { $0.via == link.wireguard }) { changes.append(.appendFlood(node)) }
            if !routed.contains(node) { changes.append(.replaceRoute(node)) }
            if !changes.isEmpty {
                additions.append(NodeChange(address: node, publicKey: peer.key, reason: "handshake \(peer.age) s ago", changes: changes))
            }
        }
        var removals: [NodeChange] = []
        for node in Set(flood.entries.map(\.address)).union(routed).subtracting(wanted.keys).sorted() {
            var changes = flood.entries.filter { $0.address == node }.map { GlueChange.deleteFlood(node, via: $0.via) }
            if routed.contains(node) { changes.append(.deleteRoute(node)) }
            let peer = claimed[node]
            let reason = switch peer?.latestHandshake {
            case nil: "no peer has this address any more"
            case 0?: "no handshake yet"
            case let seconds?: "last handshake \(now - seconds) s ago"
            }
            removals.append(NodeChange(address: node, publicKey: peer?.publicKey, reason: reason, changes: changes))
        }
        self.additions = additions
        self.removals = removals
    }
}
