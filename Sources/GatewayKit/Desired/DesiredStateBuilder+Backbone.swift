/// The backbone: per domain a tinc 1.0 net (`/etc/tinc/<domain>/`, unit `tinc@<domain>.service`) whose tap joins the
/// domain's batman-adv, with a host file for every gateway of the domain whose public key the site holds.
extension DesiredStateBuilder {
    /// `/etc/tinc/<domain>`: the net of one domain.
    static func tincNetDirectory(_ domain: MeshDomain) -> String { "/etc/tinc/\(domain.code)" }

    static func tincUnit(_ domain: MeshDomain) -> String { "tinc@\(domain.code).service" }

    func backboneFiles(_ gateway: Gateway, _ views: [GatewayDomainView]) throws -> [ManagedFile] {
        guard site.backbone != nil else { return [] }
        var files: [ManagedFile] = []
        for view in views {
            let domain = view.domain
            guard let port = site.backbonePort(of: domain) else { continue }
            let directory = Self.tincNetDirectory(domain)
            let unit = Self.tincUnit(domain)
            let peers = site.gateways.filter { $0.domain(domain.code) != nil }
            // Only a gateway whose key the site holds can be let in, and only one with an address can be called.
            let known = peers.filter { $0.name == gateway.name || $0.tincPublicKey != nil }
            let reachable = known.filter { $0.name != gateway.name && $0.nodeFacingHost != nil }
            let common: [String: any Sendable] = ["site_name": site.identity.name, "domain": domain.code, "gateway": gateway.name]
            var context = common
            context["net"] = domain.code
            context["name"] = gateway.tincName
            context["interface"] = domain.backboneInterface
            context["private_key_file"] = TincKey.privatePath
            context["connect_to"] = reachable.map(\.tincName)
            files.append(ManagedFile(path: "\(directory)/tinc.conf", content: try renderer.render("tinc/tinc.conf", context),
                                     triggers: [.restart(unit)]))
            var script = common
            script["batman_interface"] = domain.batmanInterface
            script["mtu"] = domain.mtu
            script["mac"] = Site.stableMAC(site: site.identity.code, gateway: gateway.name, domain: "tinc/\(domain.code)")
            for name in ["tinc-up", "tinc-down"] {
                files.append(ManagedFile(path: "\(directory)/\(name)", content: try renderer.render("tinc/\(name)", script), mode: 0o755,
                                         validator: #"sh -n "$FILE""#, triggers: [.restart(unit)]))
            }
            for peer in known {
                var host = common
                host["gateway"] = peer.name
                host["address"] = peer.nodeFacingHost.map { $0 as any Sendable } ?? false
                host["port"] = port
                host["key"] = peer.tincPublicKey.map { ["lines": Array($0.pemLines.dropFirst().dropLast())] as [String: any Sendable] } ?? false
                // tincd reads host files again on a reload: a gateway that joins needs no restart of the others.
                files.append(ManagedFile(path: "\(directory)/hosts/\(peer.tincName)", content: try renderer.render("tinc/host", host),
                                         triggers: [.reload(unit)]))
            }
        }
        return files
    }

    /// tinc.service starts every enabled net at boot (the nets are its `WantedBy`), then one unit per domain.
    func backboneUnits(_ views: [GatewayDomainView]) -> [String] {
        guard site.backbone != nil, !views.isEmpty else { return [] }
        return ["tinc.service"] + views.map { Self.tincUnit($0.domain) }
    }

    /// The gateway's one host key, when the site has a backbone and the gateway serves a domain.
    func tincKey(_ gateway: Gateway, _ views: [GatewayDomainView]) -> TincKey? {
        guard site.backbone != nil, !views.isEmpty else { return nil }
        return TincKey(publicKey: gateway.tincPublicKey?.base64, units: views.map { Self.tincUnit($0.domain) })
    }

    /// The mesh links with each domain's tap, which plan then holds to being up and a port of bat-X.
    func withBackbone(_ links: [MeshLinks]) -> [MeshLinks] {
        guard site.backbone != nil else { return links }
        return links.map { mesh in
            var mesh = mesh
            if let domain = site.domain(mesh.domain) {
                mesh.backbone = domain.backboneInterface
                mesh.backboneUnit = Self.tincUnit(domain)
            }
            return mesh
        }
    }

    /// The uplink's ACCEPT rules for every domain's tinc port, tcp (meta connections) and udp (packets).
    func backboneRules(_ views: [GatewayDomainView]) -> [[String: any Sendable]] {
        views.compactMap { view in
            site.backbonePort(of: view.domain).map { ["domain": view.domain.code, "port": $0] }
        }
    }
}

/// The gateway's tinc host key: made on the gateway by `tincd -K`, shared by all its nets through `PrivateKeyFile`, so
/// the site holds one public key per gateway however many domains it serves.
public struct TincKey: Sendable, Equatable, Codable {
    /// The private half, 0600; never read off the gateway, never in a plan.
    public static let privatePath = "/etc/tinc/gwsetup-rsa_key.priv"
    /// The public half tincd wrote beside it, which the probe reads and apply prints.
    public static let publicPath = "/etc/tinc/gwsetup-rsa_key.pub"

    /// The site's copy of the public half (base64); nil until the admin put in what apply printed.
    public var publicKey: String?
    /// The nets that must restart when the key is made.
    public var units: [String]
}
