/// radvd's configuration, rendered twice when the agent can drain the gateway: the normal one and the drain variant
/// (router lifetime 0) the agent switches to; the two differ only in that lifetime.
extension DesiredStateBuilder {
    func radvdConfig(_ gateway: Gateway, _ views: [GatewayDomainView], drained: Bool) throws -> String {
        let domains: [[String: any Sendable]] = views.map { view in
            let base: [String: any Sendable] = [
                "bridge": view.domain.bridgeInterface, "prefix6": view.domain.prefix6.description, "address": view.entry.ipv6.description,
                "link_mtu": view.domain.clientIPv6LinkMTU, "dns_domain": site.identity.dnsDomain,
            ]
            return base.merging(routerAdvertisementRole(view, drained: drained)) { $1 }
        }
        return try renderer.render("radvd/radvd.conf", [
            "site_name": site.identity.name, "gateway": gateway.name, "dns_domain": site.identity.dnsDomain, "domains": domains,
        ])
    }
}
