import GatewayBase
import GluonKit

/// One domain's `mesh_vpn.wireguard` as the site's `domains[].wireguard` will hold it: the port every endpoint names,
/// the mtu, and the peers source the firmware cannot give (nodes' keys live with the community, not in site.conf).
struct GluonImportedWireGuard {
    let port: ImportedValue
    let portComment: String?
    let mtu: ImportedValue
    let mtuComment: String
    /// The folder import names for node keys; the admin fills it.
    let peersSource: String
    /// Where the firmware's WireGuard section is, so the placeholder points at it.
    let location: String
    let notes: [String]

    init(_ wireguard: GluonWireGuard, domain: GluonDomain, code: String) {
        var notes: [String] = []
        let endpoints = wireguard.allPeers.map { (peer: $0, endpoint: $0.parsedEndpoint) }
        for (position, entry) in endpoints.enumerated() where entry.endpoint == nil {
            // The text is never echoed: it may be anything, up to a megabyte or a terminal escape.
            let location = entry.peer.endpointLocation ?? entry.peer.location
            notes.append("note: \(location?.description ?? domain.code): domain '\(code)': WireGuard peer \(position + 1) has \(entry.peer.endpoint == nil ? "no endpoint" : "an endpoint that is not HOST:PORT (a DNS name or IP address and a port 1-65535)"), so nodes' way to it was not imported")
        }
        var counts: [Int: Int] = [:]
        for entry in endpoints { if let port = entry.endpoint?.port { counts[port, default: 0] += 1 } }
        let chosen = counts.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key
        if let chosen {
            port = .value(String(chosen))
            if counts.count > 1 {
                let others = counts.keys.filter { $0 != chosen }.sorted().map(String.init).joined(separator: ", ")
                portComment = "most used of the firmware's endpoint ports \(counts.keys.sorted().map(String.init).joined(separator: ", "))"
                notes.append("note: domain '\(code)': the firmware's WireGuard endpoints disagree on the port (\(chosen), and \(others)); gwsetup serves one WireGuard port per domain (\(chosen)), and `gluon check` will report the others")
            } else {
                portComment = "from the firmware's endpoints"
            }
        } else {
            port = .placeholder("PLACEHOLDER", why: "\(wireguard.allPeers.first?.location?.description ?? domain.code): no WireGuard endpoint of domain '\(code)' names a port")
            portComment = nil
        }
        if let value = wireguard.mtu?.value {
            let location = [wireguard.mtu?.layout.keyPath, wireguard.mtu?.location?.description].compactMap { $0 }.joined(separator: ", ")
            if SiteDefaults.wireguardMTURange.contains(value) {
                mtu = .value(String(value))
                mtuComment = location
            } else {
                mtu = .placeholder(String(value), why: "\(location): WireGuard mtu \(value) is outside \(SiteDefaults.wireguardMTURange.lowerBound)-\(SiteDefaults.wireguardMTURange.upperBound), which batman-adv and a 1500-byte uplink need")
                mtuComment = location
            }
        } else {
            mtu = .value(String(SiteDefaults.wireguardMTU))
            mtuComment = "the firmware sets no mesh_vpn.wireguard.mtu; Gluon's documented value"
        }
        peersSource = "wireguard-nodes/" + code
        location = domain.config.location(at: ["mesh_vpn", "wireguard"])?.description ?? domain.code
        self.notes = notes
    }

    /// Lines saying what München's wgkex flavour needs that gwsetup does not provide: the broker, and peers answering
    /// as their own link address. One of each for the whole import, naming every domain.
    static func wgkexNotes(_ domains: [(code: String, wireguard: GluonWireGuard)]) -> [String] {
        let wgkex = domains.filter { $0.wireguard.isWgkexFlavour }
        guard let first = wgkex.first else { return [] }
        let codes = wgkex.map { "'\($0.code)'" }.joined(separator: ", ")
        let at = first.wireguard.brokerLocation.map { "\($0): " } ?? ""
        var notes = ["note: \(at)domain\(wgkex.count == 1 ? "" : "s") \(codes) use\(wgkex.count == 1 ? "s" : "") München's wgkex flavour of mesh_vpn.wireguard (a broker, peers as a list with link_address): gwsetup does not provide the wgkex broker that registers node keys with the gateways, so node keys must come from each domain's wireguard.peers source; the gateways and their keys were imported"]
        let linkAddressed = wgkex.flatMap { $0.wireguard.allPeers }.filter { peer in
            peer.linkAddress.map { IPv6Address($0) != WireGuardMesh.gatewayAddress } ?? false
        }
        if let peer = linkAddressed.first {
            notes.append("note: \(peer.location.map { "\($0): " } ?? "")\(linkAddressed.count) wgkex peer(s) have a link_address other than fe80::1, the only address a gwsetup gateway answers as; nodes built with this firmware accept each gateway only from its listed link_address, so they will not mesh with a gwsetup gateway until the firmware lists fe80::1 (`gluon export` writes Gluon's upstream schema, and `gluon check` reports each one)")
        }
        return notes
    }
}
