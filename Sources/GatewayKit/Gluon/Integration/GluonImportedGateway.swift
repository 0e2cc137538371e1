import GatewayBase
import GluonKit

/// A gateway as the firmware knows it: one fastd peer name and/or one WireGuard peer, possibly in several domains.
struct GluonImportedGateway {
    struct Membership {
        let domainCode: String
        let peer: GluonFastdPeer
    }

    /// The gateway as one domain's WireGuard peer.
    struct WireGuardMembership {
        let domainCode: String
        let peer: GluonWireGuardPeer
    }

    /// The fastd peer name, else the WireGuard peer's name, else (positional peers) the endpoint's first label.
    let peerName: String
    let name: String
    var memberships: [Membership]
    var wireguard: [WireGuardMembership] = []

    /// The host of the first fastd remote that can be read, in domain order, else the first WireGuard endpoint's.
    var publicHost: String? {
        memberships.lazy.flatMap(\.peer.remotes).compactMap(\.remote?.host).first ?? wireguard.lazy.compactMap(\.peer.parsedEndpoint?.host).first
    }
    var unreadableRemote: String? { memberships.lazy.flatMap(\.peer.remotes).first?.text }
    /// Where the first unreadable endpoint is written, for a gateway known by WireGuard only.
    var unreadableEndpointLocation: SourceLocation? { wireguard.lazy.compactMap { $0.peer.endpointLocation ?? $0.peer.location }.first }
    /// The name the firmware gives the gateway's WireGuard peer, when it has one.
    var wireguardPeerName: String? { wireguard.lazy.compactMap(\.peer.name).first }
    /// Every domain the gateway is in, fastd or WireGuard, in the order given.
    func domainCodes(in order: [String]) -> [String] {
        let mine = Set(memberships.map(\.domainCode) + wireguard.map(\.domainCode))
        return order.filter(mine.contains)
    }

    /// All hosts the firmware reaches this gateway at, lower-cased: how a WireGuard peer finds its fastd twin.
    private var hosts: Set<String> {
        Set(memberships.flatMap(\.peer.remotes).compactMap { $0.remote?.host.lowercased() }
            + wireguard.compactMap { $0.peer.parsedEndpoint?.host.lowercased() })
    }

    /// One gateway per fastd peer name across all fastd domains, in order of first appearance; then each WireGuard
    /// peer joins the gateway with its name or its endpoint's host, or becomes a gateway of its own.
    /// Babel domains are skipped: no gateway gwsetup builds meshes with their nodes.
    static func union(of domains: [GluonDomain]) -> [GluonImportedGateway] {
        var gateways: [GluonImportedGateway] = []
        var index: [String: Int] = [:]
        var names: Set<String> = []
        func add(peerName: String, base: String) -> Int {
            var name = base
            var counter = 2
            while names.contains(name) { name = base + "-" + String(counter); counter += 1 }
            names.insert(name)
            index[peerName] = gateways.count
            gateways.append(GluonImportedGateway(peerName: peerName, name: name, memberships: []))
            return gateways.count - 1
        }
        for domain in domains {
            for peer in domain.meshVPN.fastd?.allPeers ?? [] {
                let position = index[peer.name] ?? add(peerName: peer.name, base: GluonNames.gatewayName(forPeer: peer.name))
                gateways[position].memberships.append(Membership(domainCode: domain.code, peer: peer))
            }
        }
        for domain in domains where domain.babelKey == nil {
            for peer in domain.meshVPN.wireguard?.allPeers ?? [] {
                let host = peer.parsedEndpoint?.host.lowercased()
                let position = peer.name.flatMap { index[$0] }
                    ?? host.flatMap { host in gateways.firstIndex { gateway in
                        gateway.hosts.contains(host) && !gateway.wireguard.contains { $0.domainCode == domain.code } } }
                    ?? add(peerName: peer.name ?? host ?? "wireguard", base: baseName(of: peer))
                gateways[position].wireguard.append(WireGuardMembership(domainCode: domain.code, peer: peer))
            }
        }
        return gateways
    }

    /// A gateway name for a WireGuard peer: its Gluon name, else the endpoint host's first label (`gw04` of `gw04.ext.ffmuc.net`).
    static func baseName(of peer: GluonWireGuardPeer) -> String {
        if let name = peer.name { return GluonNames.gatewayName(forPeer: name) }
        if let host = peer.parsedEndpoint?.host, GluonRemote.isDNSName(host), let label = host.split(separator: ".").first {
            return GluonNames.gatewayName(forPeer: String(label))
        }
        return "wireguard-gw"
    }
}
