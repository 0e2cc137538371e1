/// What differs between a domain's fastd instances: port, interface (or multi-TAP stem), peer limit, status socket; the key is shared.
extension DesiredStateBuilder {
    /// The mesh context with `instance`'s own values; its secret is the one file in instance 1's directory.
    func fastdContext(_ mesh: [String: any Sendable], _ instance: FastdInstance) -> [String: any Sendable] {
        var context = mesh
        if let stem = instance.peerInterfaceStem {
            // The template writes the `%k` of the multi-TAP pattern itself: no value slot of fastd.conf may hold a `%`.
            context["peer_interface_stem"] = stem
            context.removeValue(forKey: "interface")
        } else {
            context["interface"] = instance.interface
        }
        context["tap"] = instance.peerInterfaceStem == nil
        context["multitap"] = instance.peerInterfaceStem != nil
        context["port"] = instance.port
        context["peer_limit"] = instance.peerLimit.map { $0 as any Sendable } ?? false
        // The template writes `/run/fastd-<instance>.sock`, the same path as ``FastdInstance/statusSocket``.
        context["instance"] = instance.name
        // fastd reads includes relative to the including file, so `../ffx/secret.conf` is the one key on the gateway
        // and next to a rendered tree alike; instance 1 keeps the `secret.conf` line it always had.
        context["secret_domain"] = instance.number == 1 ? false : instance.domain
        return context
    }

    /// One uplink ACCEPT per instance port, commented with the instance name (`fastd ffx`, `fastd ffx.2`).
    static func fastdRules(_ view: GatewayDomainView) -> [[String: any Sendable]] {
        view.domain.fastdInstances(on: view.entry).map { ["port": $0.port, "name": $0.name] }
    }

    /// Every fastd unit of the domains `views` lists, in site and instance order.
    static func fastdUnits(_ views: [GatewayDomainView]) -> [String] {
        views.flatMap { $0.domain.fastdInstances(on: $0.entry).map(\.unit) }
    }
}
