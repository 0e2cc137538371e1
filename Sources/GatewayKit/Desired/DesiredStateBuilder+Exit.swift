/// The exit: a WireGuard netdev whose key is made on the gateway, its own routing table, and per carried domain the
/// policy rules that send the clients' IPv4 into that table (and nowhere else while it is empty, unless the site
/// allows the uplink as a fallback).
extension DesiredStateBuilder {
    func exitFiles(_ gateway: Gateway) throws -> [ManagedFile] {
        guard let exit = site.exit(for: gateway), let address = gateway.exitAddress else { return [] }
        let networkd: [ServiceTrigger] = [.restart("systemd-networkd.service")]
        let netdev: [String: any Sendable] = [
            "gateway": gateway.name, "site_name": site.identity.name, "interface": ExitTunnel.interface, "mtu": exit.mtu,
            "private_key_file": WireGuardKey.privatePath(.exit), "public_key": exit.publicKey.base64, "endpoint": exit.endpoint.description,
            "keepalive": exit.keepalive,
        ]
        let network: [String: any Sendable] = ["interface": ExitTunnel.interface, "address": address.description, "table": ExitTunnel.routingTable]
        return [
            ManagedFile(path: "/etc/systemd/network/40-\(ExitTunnel.interface).netdev", content: try renderer.render("networkd/exit.netdev", netdev),
                        triggers: networkd),
            ManagedFile(path: "/etc/systemd/network/40-\(ExitTunnel.interface).network", content: try renderer.render("networkd/exit.network", network),
                        triggers: networkd),
        ]
    }

    /// The bridge's policy rules for a domain the exit carries; false (no section) for one it does not. Only the
    /// gateway's own meshes stay in main: the uplink's subnet, too, is the exit's business.
    func exitRules(_ view: GatewayDomainView, _ views: [GatewayDomainView]) -> any Sendable {
        guard let exit = site.exit(carrying: view.domain), let prefix4 = view.domain.prefix4 else { return false }
        let meshes = views.compactMap { $0.domain.prefix4.map { ["to": $0.description] as [String: any Sendable] } }
        return ["prefix4": prefix4.description, "table": ExitTunnel.routingTable, "mesh_prefixes": meshes, "mesh_priority": ExitTunnel.meshPriority,
                "table_priority": ExitTunnel.tablePriority, "unreachable_priority": ExitTunnel.unreachablePriority,
                "unreachable": exit.fallback == .none] as [String: any Sendable]
    }
}
