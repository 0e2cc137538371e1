import GatewayBase
import GluonKit

/// `mesh_vpn.wireguard` as Gluon's gluon-mesh-vpn-wireguard reads it (check_site.lua): `mtu`, and per gateway a peer
/// named in Gluon's grammar with `public_key` and `endpoint = 'HOST:PORT'`; never a key the site does not hold.
enum GluonExportWireGuard {
    /// The WireGuard peer name the firmware knows the gateway by: its kept WireGuard name, else its fastd peer name.
    static func peerName(of gateway: Gateway) -> String {
        gateway.gluonWireGuardPeer ?? GluonExportShape.peerName(of: gateway)
    }

    /// `host:port` (`[v6]:port`) nodes dial; nil when the gateway has no node-facing host.
    static func endpoint(of gateway: Gateway, port: Int) -> GluonWireGuardEndpoint? {
        gateway.nodeFacingHost.map { GluonWireGuardEndpoint(host: $0, port: port) }
    }

    /// Whether the domain's fastd goes into the firmware: always without WireGuard; with it, only when some gateway
    /// of the domain has a fastd key (site or keys file), so a WireGuard-only firmware stays WireGuard-only.
    static func exportsFastd(_ domain: MeshDomain, in site: Site, keys: GluonKeys?) -> Bool {
        guard domain.wireguard != nil else { return true }
        return site.gateways.contains { $0.domain(domain.code) != nil && GluonExporter.key(of: $0, in: domain, keys: keys) != nil }
    }

    /// The domain's `wireguard` table, or nil without `wireguard`; every gateway that cannot be a peer is a problem.
    static func table(for domain: MeshDomain, in site: Site, problems: inout [String]) -> LuaTable? {
        guard let wireguard = domain.wireguard else { return nil }
        var peers = LuaTable()
        for gateway in site.gateways where gateway.domain(domain.code) != nil {
            guard let key = gateway.wireguardPublicKey else {
                problems.append("gateway '\(gateway.name)' has no WireGuard public key for domain '\(domain.code)': set gateways[].wireguard_public_key (apply prints it as 'wireguard public key of \(gateway.name)')")
                continue
            }
            guard let endpoint = endpoint(of: gateway, port: wireguard.port) else {
                problems.append("gateway '\(gateway.name)' is 'local' and has no public_host, so nodes would not know where to reach its WireGuard: set gateways[].public_host")
                continue
            }
            // The endpoint goes into the nodes' WireGuard config; only a name or an address may get there.
            guard GluonWireGuardEndpoint.parse(endpoint.description) == endpoint else {
                problems.append("gateway \(Echo.quoted(gateway.name)): public host \(Echo.quoted(endpoint.host)) is neither a DNS name nor an IP address, so nodes could not be told where to reach its WireGuard")
                continue
            }
            peers.set(["public_key": .string(key.base64), "endpoint": .string(endpoint.description)], forKey: .string(peerName(of: gateway)))
        }
        return ["mtu": .integer(wireguard.mtu), "peers": .table(peers)]
    }

    /// Adds `wireguard` beside whatever `mesh_vpn` already holds (fastd, a shared mtu).
    static func place(_ wireguard: LuaTable, into table: inout LuaTable) {
        var meshVPN: LuaTable = if case .table(let existing)? = table["mesh_vpn"] { existing } else { LuaTable() }
        meshVPN.set(.table(wireguard), forKey: "wireguard")
        table.set(.table(meshVPN), forKey: "mesh_vpn")
    }
}
