import GatewayBase

extension SiteReader {
    /// `domains[].wireguard: {port, mtu, peers, prune_after}`: the domain's WireGuard + VXLAN mesh VPN.
    mutating func readWireGuard(_ value: YAMLValue, index: Int) throws -> WireGuardMesh {
        let map = try value.mapping(knownKeys: ["port", "mtu", "peers", "prune_after"])
        let peersValue = try map.required("peers")
        let source = try peersValue.string(.wireguardPeers)
        let peers: [WireGuardPublicKey]
        do { peers = try WireGuardPeersSource.load(source, siteFile: file) } catch {
            throw error.location == nil ? peersValue.error(error.message) : error
        }
        note(peersValue)
        var mesh = WireGuardMesh(port: SiteDefaults.wireguardBasePort + index, peersSource: source, peers: peers)
        if let port = map["port"] { mesh.port = try port.int(in: 1...65535); note(port) }
        if let mtu = map["mtu"] { mesh.mtu = try mtu.int(in: SiteDefaults.wireguardMTURange); note(mtu) }
        if let prune = map["prune_after"] { mesh.pruneAfter = try prune.int(in: SiteDefaults.wireguardPruneRange); note(prune) }
        note(value)
        return mesh
    }

    /// `gateways[].wireguard_public_key`: the public half of the key apply made, pasted back for export and check.
    mutating func wireguardPublicKey(_ value: YAMLValue) throws -> WireGuardPublicKey {
        let text = try value.string(.gatewayWireGuardPublicKey)
        guard let key = WireGuardPublicKey(text) else {
            throw value.error("'wireguard_public_key' is not a WireGuard public key (32 bytes in base64, 44 characters ending in '='); paste the key apply printed")
        }
        note(value)
        return key
    }
}
