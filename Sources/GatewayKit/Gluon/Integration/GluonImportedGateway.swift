import GluonKit

/// A gateway as the firmware knows it: one fastd peer name, possibly in several domains.
struct GluonImportedGateway {
    struct Membership {
        let domainCode: String
        let peer: GluonFastdPeer
    }

    let peerName: String
    let name: String
    var memberships: [Membership]

    /// The host of the first remote that can be read, in domain order.
    var publicHost: String? { memberships.lazy.flatMap(\.peer.remotes).compactMap(\.remote?.host).first }
    var unreadableRemote: String? { memberships.lazy.flatMap(\.peer.remotes).first?.text }

    /// One gateway per peer name across all fastd domains, in order of first appearance.
    static func union(of domains: [GluonDomain]) -> [GluonImportedGateway] {
        var gateways: [GluonImportedGateway] = []
        var index: [String: Int] = [:]
        var names: Set<String> = []
        for domain in domains {
            for peer in domain.meshVPN.fastd?.allPeers ?? [] {
                let membership = Membership(domainCode: domain.code, peer: peer)
                if let position = index[peer.name] {
                    gateways[position].memberships.append(membership)
                    continue
                }
                let base = GluonNames.gatewayName(forPeer: peer.name)
                var name = base
                var counter = 2
                while names.contains(name) { name = base + "-" + String(counter); counter += 1 }
                names.insert(name)
                index[peer.name] = gateways.count
                gateways.append(GluonImportedGateway(peerName: peer.name, name: name, memberships: [membership]))
            }
        }
        return gateways
    }
}
