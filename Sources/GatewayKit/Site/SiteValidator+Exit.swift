import GatewayBase

/// The exit's cross-checks: every gateway whose clients leave through it has a tunnel address, outside every mesh
/// prefix, and no gateway names the exit's interface as its uplink.
extension SiteValidator {
    mutating func checkExit() {
        if site.exit?.fallback == ExitTunnel.Fallback.none, let check = site.services.uplinkCheck {
            for (index, target) in check.targets.enumerated() {
                let address: IPAddress = switch target {
                case .icmp(let address): address
                case .http(let address, _, _): address
                }
                if case .v6 = address {
                    fail("services.uplink_check.targets.\(index)", "uplink check target \(address) is IPv6, but with an exit the probes go through "
                         + "the exit tunnel, which carries IPv4 only; probe an IPv4 address")
                }
            }
        }
        for (index, gateway) in site.gateways.enumerated() {
            let path = "gateways.\(index)"
            guard let exit = site.exit else {
                if gateway.exitAddress != nil { fail("\(path).exit_address", "gateway '\(gateway.name)' has an exit_address, but the site has no 'exit'") }
                continue
            }
            if gateway.uplink == ExitTunnel.interface {
                fail("\(path).uplink", "uplink '\(gateway.uplink)' is the exit tunnel gwsetup creates; name the WAN interface")
            }
            let carried = gateway.domains.filter { entry in site.domain(entry.code).map(exit.carries) ?? false }
            guard let address = gateway.exitAddress else {
                if let first = carried.first {
                    fail("\(path).name", "gateway '\(gateway.name)' sends the clients of '\(first.code)' through the exit, but has no exit_address; "
                         + "add the tunnel address the exit server assigned it")
                }
                continue
            }
            if carried.isEmpty {
                fail("\(path).exit_address", "gateway '\(gateway.name)' serves no domain the exit carries, so its exit_address would go unused")
            }
            if let domain = site.domains.first(where: { $0.prefix4?.contains(address.address) == true }) {
                fail("\(path).exit_address", "exit_address \(address) lies in domain '\(domain.code)' (\(domain.prefix4!)); the tunnel needs an address of its own")
            } else if let network = IPv4Network(address: address.address, prefixLength: address.prefixLength, strict: false),
                      let domain = site.domains.first(where: { $0.prefix4.map(network.overlaps) == true }) {
                fail("\(path).exit_address", "exit_address \(address) is a subnet that overlaps domain '\(domain.code)' (\(domain.prefix4!)); "
                     + "the gateway would reach those clients through the tunnel")
            }
        }
    }
}
