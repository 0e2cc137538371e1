import GatewayBase
import GluonKit

/// The comparisons that need what the gateways would really run: values read back from their rendered configs.
extension GluonSiteChecker {
    /// The value each gateway of `domain` would run: one entry per gateway whose rendered value differs from the
    /// site's (named, with its rendered line), and one unnamed entry for the site's value when any gateway runs it.
    func servedValues<T: Equatable>(_ domain: MeshDomain, site siteValue: T,
                                    _ pick: (RenderedMeshFacts.Fastd) -> RenderedMeshFacts.Value<T>?) -> [(gateway: String?, value: T, location: String?)] {
        var overridden: [(gateway: String?, value: T, location: String?)] = []
        var anyRunsTheSite = false
        for gateway in site.gateways where gateway.domain(domain.code) != nil {
            if let value = rendered[gateway.name]?.fastd[domain.code].flatMap(pick), value.value != siteValue {
                overridden.append((gateway.name, value.value, value.location))
            } else {
                anyRunsTheSite = true
            }
        }
        return (anyRunsTheSite ? [(nil, siteValue, nil)] : []) + overridden
    }

    /// Every DNS server the firmware hands out must be an address where a gateway of the domain runs its resolver, or
    /// one the site declares itself; anything else is a host nodes would ask that gwsetup does not set up.
    mutating func compareResolvers(_ domain: MeshDomain, firmware: GluonDomain) {
        var resolvers: [(address: String, location: String?)] = []
        for (index, gateway) in site.gateways.enumerated() {
            guard let entry = gateway.domain(domain.code) else { continue }
            if let facts = rendered[gateway.name] {
                // unbound listens on every mesh address of the gateway; keep the ones of this domain.
                let own = Set(entry.meshAddressTexts)
                resolvers += facts.resolverAddresses.filter { own.contains($0.value) }.map { ($0.value, $0.location) }
            } else {
                let location = at("gateways.\(index).addresses.\(domain.code)")
                resolvers += entry.meshAddressTexts.map { ($0, location) }
            }
        }
        // What the site declares in firmware.dns_servers is compared above and only noted when no gateway serves it.
        let declared = Set((site.firmware(for: domain).dnsServers ?? []).map(\.description))
        let served = Set(resolvers.map(\.address))
        let location = firmware.config.location(at: ["dns", "servers"])
        for server in firmware.dnsServers {
            let address = IPAddress(server)?.description ?? server
            guard !served.contains(address), !declared.contains(address) else { continue }
            let list = resolvers.isEmpty ? "(no resolver)" : "resolvers on " + resolvers.map(\.address).joined(separator: ", ")
            report(domain.code, "dns.servers", site: list, resolvers.first?.location, firmware: "\(server) (no gateway's resolver listens there)", location)
        }
    }

    /// The firmware's next-node address lives on every node; a gateway holding it is unreachable to the clients
    /// of any node, which answer that address themselves.
    mutating func compareNextNodeWithGateways(_ domain: MeshDomain, firmware: GluonDomain) {
        let given: [(field: String, text: String?, key: String)] = [("next_node.ipv4", firmware.nextNode.ip4, "ip4"), ("next_node.ipv6", firmware.nextNode.ip6, "ip6")]
        for (field, text, key) in given {
            guard let text, let address = IPAddress(text) else { continue }
            for (index, gateway) in site.gateways.enumerated() {
                guard let entry = gateway.domain(domain.code), [entry.ipv4.map(IPAddress.v4), IPAddress.v6(entry.ipv6)].contains(address) else { continue }
                report(domain.code, gateway: gateway.name, field, site: "\(address) is the gateway's own address", at("gateways.\(index).addresses.\(domain.code)"),
                       firmware: "\(text) (every node answers it itself)", firmware.config.location(at: ["next_node", .string(key)]))
            }
        }
    }
}

extension GatewayDomain {
    /// The gateway's bridge addresses in this domain as text, where its resolver listens.
    var meshAddressTexts: [String] { [ipv4?.description, ipv6.description].compactMap { $0 } }
}
