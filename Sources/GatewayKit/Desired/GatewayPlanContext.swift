/// One gateway's view of the site: its domains with the values every config derives from.
struct GatewayDomainView: Sendable {
    let domain: MeshDomain
    let entry: GatewayDomain
    /// Its DHCP range split around addresses in use; empty when it hands out none.
    let dhcpRanges: [IPv4Range]
    let mac: String
    let isDefaultRouter: Bool
}

extension Site {
    /// The domains `gateway` serves, in site order, with its DHCP slot, bridge MAC and RA role.
    func views(for gateway: Gateway) -> [GatewayDomainView] {
        domains.compactMap { domain in
            guard let entry = gateway.domain(domain.code) else { return nil }
            let members = gateways.filter { $0.domain(domain.code) != nil }.map(\.name)
            let defaultRouters = domain.routerAdvertisement.defaultRouters.isEmpty ? Array(members.prefix(1)) : domain.routerAdvertisement.defaultRouters
            return GatewayDomainView(
                domain: domain, entry: entry,
                dhcpRanges: domain.prefix4 == nil ? [] : DHCPPool.leasableRanges(for: domain, in: self)[gateway.name] ?? [],
                mac: Self.stableMAC(site: identity.code, gateway: gateway.name, domain: domain.code),
                isDefaultRouter: defaultRouters.contains(gateway.name))
        }
    }

    /// A locally administered unicast MAC that never changes for the same site, gateway and domain,
    /// so nodes' neighbour caches survive reboots and no two gateways collide.
    static func stableMAC(site: String, gateway: String, domain: String) -> String {
        let digest = SHA256Digest.hex("gwsetup-mac/\(site)/\(gateway)/\(domain)")
        var bytes = stride(from: 0, to: 12, by: 2).map { index -> String in
            let start = digest.index(digest.startIndex, offsetBy: index)
            return String(digest[start..<digest.index(start, offsetBy: 2)])
        }
        let first = (UInt8(bytes[0], radix: 16)! & 0xfc) | 0x02
        bytes[0] = String(first, radix: 16).count == 1 ? "0" + String(first, radix: 16) : String(first, radix: 16)
        return bytes.joined(separator: ":")
    }
}
