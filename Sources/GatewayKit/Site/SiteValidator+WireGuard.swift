import GatewayBase

/// A WireGuard domain's cross-checks: the seed its VXLAN ID comes from, a port of its own, and the MTU chain down to
/// the uplink.
extension SiteValidator {
    mutating func checkWireGuard(of domain: MeshDomain, at path: String, claimed ports: inout [Int: String]) {
        guard let wireguard = domain.wireguard else {
            if !domain.fastd.isEnabled { fail("\(path).fastd", "domain '\(domain.code)' has 'fastd: none' and no 'wireguard': its nodes could not reach a gateway") }
            return
        }
        if domain.domainSeed == nil {
            fail("\(path).wireguard", "domain '\(domain.code)' offers WireGuard, whose VXLAN ID nodes derive from the domain seed; "
                 + "add 'domain_seed' (the site.conf's 64 hex digits)")
        }
        if let owner = ports[wireguard.port] {
            fail("\(path).wireguard.port", "WireGuard port \(wireguard.port) of domain '\(domain.code)' collides with \(owner)")
        }
        ports[wireguard.port] = "the WireGuard port of domain '\(domain.code)'"
        for gateway in site.gateways where gateway.domain(domain.code) != nil {
            if let entry = gateway.domain(domain.code), let fastdPort = entry.fastdPort,
               domain.fastdInstances(on: entry).contains(where: { $0.port == wireguard.port }) {
                fail("\(path).wireguard.port", "WireGuard port \(wireguard.port) of domain '\(domain.code)' collides with gateway '\(gateway.name)''s fastd ports from \(fastdPort)")
            }
        }
        let ipv6 = wireguard.outerPacketBytes(.ipv6)
        if ipv6 > 1500 {
            warn("\(path).wireguard.mtu", "mtu \(wireguard.mtu) makes WireGuard packets of up to \(wireguard.outerPacketBytes(.ipv4)) bytes over IPv4 and \(ipv6) over IPv6 "
                 + "(VXLAN 70 + WireGuard 32 + UDP 8 + IP on top); above the uplink's 1500 (1460 behind DS-Lite) they fragment; \(1500 - (ipv6 - wireguard.mtu)) avoids it")
        }
    }
}

extension MeshDomain {
    /// Every interface gwsetup creates for this domain, which no uplink or other domain may be called.
    public var createdInterfaces: [String] {
        [bridgeInterface, batmanInterface] + fastdInterfaces + (wireguard == nil ? [] : [wireguardInterface, vxlanInterface])
    }
}
