import GatewayBase
import GluonKit

/// `mesh_vpn.wireguard` against the site's `domains[].wireguard` and gateways: what export would write, value by value,
/// so a node that cannot handshake shows up as a line here rather than as silence on the gateway.
extension GluonSiteChecker {
    mutating func compareWireGuard(_ domain: MeshDomain, path: String, firmware: GluonDomain) {
        let code = domain.code
        let config = firmware.config
        switch (domain.wireguard, firmware.meshVPN.wireguard) {
        case (nil, nil):
            return
        case (nil, let given?):
            // Without fastd in the firmware this is the line that says nodes reach no gateway at all.
            report(code, "wireguard", site: "(not set)", at("\(path).code"),
                   firmware: "\(given.allPeers.count) peer(s)" + (firmware.meshVPN.fastd == nil ? ", no fastd" : ""), config.location(at: ["mesh_vpn", "wireguard"]))
        case (let served?, nil):
            report(code, "wireguard", site: "port \(served.port)", at("\(path).wireguard"), firmware: "(not set)", config.location(at: ["mesh_vpn"]))
        case (let served?, let given?):
            if served.mtu != given.mtu?.value {
                report(code, "wireguard mtu", site: String(served.mtu), at("\(path).wireguard.mtu"),
                       firmware: given.mtu.map { String($0.value) } ?? "(not set)", given.mtu?.location)
            }
            compareWireGuardPeers(domain, served: served, given: given, path: path, config: config)
        }
    }

    private mutating func compareWireGuardPeers(_ domain: MeshDomain, served: WireGuardMesh, given: GluonWireGuard, path: String, config: LuaTable) {
        let code = domain.code
        var matched: Set<String> = []
        for (position, peer) in given.allPeers.enumerated() {
            let label = peer.name.map { "WireGuard peer '\($0)'" } ?? "WireGuard peer \(position + 1)"
            guard let index = gatewayIndex(for: peer, in: domain) else {
                report(code, gateway: peer.name, "wireguard peer", site: "(no such gateway)", nil, firmware: label, peer.location)
                continue
            }
            let gateway = site.gateways[index]
            let gatewayPath = "gateways.\(index)"
            guard gateway.domain(code) != nil else {
                report(code, gateway: gateway.name, "wireguard peer", site: "has no addresses in domain '\(code)'", at("\(gatewayPath).addresses"), firmware: label, peer.location)
                continue
            }
            matched.insert(gateway.name)
            // The firmware's text is shown only when it is what it should be; anything else is described, never echoed.
            let firmwareKey = peer.publicKey.map { WireGuardPublicKey($0)?.base64 ?? "(not a WireGuard public key)" } ?? "(not set)"
            if let key = gateway.wireguardPublicKey, key.base64 != firmwareKey {
                report(code, gateway: gateway.name, "wireguard key", site: key.base64, at("\(gatewayPath).wireguard_public_key"), firmware: firmwareKey, peer.keyLocation ?? peer.location)
            }
            let exported = GluonExportWireGuard.endpoint(of: gateway, port: served.port)
            let firmwareEndpoint = peer.parsedEndpoint
            if exported?.host.lowercased() != firmwareEndpoint?.host.lowercased() || exported?.port != firmwareEndpoint?.port {
                let firmwareText = firmwareEndpoint?.description ?? (peer.endpoint == nil ? "(not set)" : "(not HOST:PORT)")
                let siteLocation = exported?.port != firmwareEndpoint?.port ? at("\(path).wireguard.port") : at("\(gatewayPath).public_host")
                report(code, gateway: gateway.name, "wireguard endpoint", site: exported?.description ?? "(no public_host)", siteLocation,
                       firmware: firmwareText, peer.endpointLocation ?? peer.location)
            }
            if let name = peer.name, name != GluonExportWireGuard.peerName(of: gateway) {
                report(code, gateway: gateway.name, "wireguard peer name", site: GluonExportWireGuard.peerName(of: gateway), at(gatewayPath), firmware: name, peer.location)
            }
            if let linkAddress = peer.linkAddress, IPv6Address(linkAddress) != WireGuardMesh.gatewayAddress {
                report(code, gateway: gateway.name, "wireguard link_address", site: WireGuardMesh.gatewayAddress.description, at("\(path).wireguard"),
                       firmware: IPv6Address(linkAddress)?.description ?? "(not an IPv6 address)", peer.location)
            }
        }
        for (index, gateway) in site.gateways.enumerated() where gateway.domain(code) != nil && !matched.contains(gateway.name) {
            report(code, gateway: gateway.name, "wireguard peer", site: "serves domain '\(code)' over WireGuard", at("gateways.\(index).addresses.\(code)"),
                   firmware: "(not listed: nodes never connect to it)", config.location(at: ["mesh_vpn", "wireguard", "peers"]))
        }
    }

    /// The gateway a firmware peer stands for: by its WireGuard or fastd peer name, else (positional peers, renamed
    /// gateways) by the endpoint's host among the domain's gateways.
    private func gatewayIndex(for peer: GluonWireGuardPeer, in domain: MeshDomain) -> Int? {
        if let name = peer.name {
            if let index = site.gateways.firstIndex(where: { $0.gluonWireGuardPeer == name })
                ?? site.gateways.firstIndex(where: { GluonExportWireGuard.peerName(of: $0) == name })
                ?? site.gateways.firstIndex(where: { $0.name == GluonNames.gatewayName(forPeer: name) }) {
                return index
            }
        }
        guard let host = peer.parsedEndpoint?.host.lowercased() else { return nil }
        return site.gateways.firstIndex { $0.domain(domain.code) != nil && $0.nodeFacingHost?.lowercased() == host }
            ?? site.gateways.firstIndex { $0.nodeFacingHost?.lowercased() == host }
    }
}
