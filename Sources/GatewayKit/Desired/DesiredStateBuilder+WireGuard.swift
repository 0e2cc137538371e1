import GatewayBase

/// A domain's WireGuard mesh VPN: the `wg-NAME` link with the gateway's mesh key at `fe80::1`, the `vx-NAME` VXLAN on
/// top in the domain's batman-adv, the node keys of the peers source (synced into the link without restarting it),
/// and the unit that syncs them.
extension DesiredStateBuilder {
    /// The domains of `views` that offer WireGuard.
    static func wireguardViews(_ views: [GatewayDomainView]) -> [GatewayDomainView] { views.filter { $0.domain.wireguard != nil } }

    func wireguardFiles(_ gateway: Gateway, _ views: [GatewayDomainView]) throws -> [ManagedFile] {
        let meshes = Self.wireguardViews(views)
        guard !meshes.isEmpty else { return [] }
        // A changed script or unit file re-syncs every link with it.
        let syncs = Self.wireguardUnits(views).map { ServiceTrigger.restart($0) }
        var files: [ManagedFile] = [ManagedFile(
            path: WireGuardSync.scriptPath,
            content: try renderer.render("wireguard/gwsetup-wireguard-sync.sh", ["site_name": site.identity.name, "peers_directory": WireGuardSync.peersDirectory,
                                                                                 "key_file": WireGuardKey.privatePath(.mesh)]),
            mode: 0o755, validator: #"sh -n "$FILE""#, triggers: syncs), ManagedFile(
            path: "/etc/systemd/system/\(WireGuardSync.template)",
            content: try renderer.render("systemd/gwsetup-wireguard-sync@.service", ["site_name": site.identity.name, "script": WireGuardSync.scriptPath]),
            validator: #"dir=$(mktemp -d) && trap 'rm -rf "$dir"' EXIT && cp "$FILE" "$dir/$NAME" && systemd-analyze verify "$dir/$NAME""#,
            triggers: [.command(.daemonReload)] + syncs)]
        for view in meshes {
            let domain = view.domain
            guard let wireguard = domain.wireguard, let seed = domain.domainSeed else { continue }
            let networkd: [ServiceTrigger] = [.restart("systemd-networkd.service")]
            let sync = WireGuardSync(link: domain.wireguardInterface)
            let context: [String: any Sendable] = [
                "site_name": site.identity.name, "domain": domain.code, "gateway": gateway.name,
                "wireguard_interface": domain.wireguardInterface, "vxlan_interface": domain.vxlanInterface,
                "batman_interface": domain.batmanInterface, "port": wireguard.port, "link_mtu": wireguard.linkMTU, "mtu": wireguard.mtu,
                "private_key_file": WireGuardKey.privatePath(.mesh), "address": WireGuardMesh.gatewayAddress.description,
                "vni": GluonWireGuardDerivation.vxlanID(domainSeed: seed), "vxlan_port": WireGuardMesh.vxlanPort,
                "vxlan_mac": Site.stableMAC(site: site.identity.code, gateway: gateway.name, domain: domain.code + "/vxlan"),
                "sync_unit": sync.unit,
            ]
            for (template, name) in [("wireguard.netdev", "25-\(domain.wireguardInterface).netdev"), ("wireguard.network", "25-\(domain.wireguardInterface).network"),
                                     ("vxlan.netdev", "26-\(domain.vxlanInterface).netdev"), ("vxlan.network", "26-\(domain.vxlanInterface).network")] {
                files.append(ManagedFile(path: "/etc/systemd/network/\(name)", content: try renderer.render("networkd/\(template)", context),
                                         // networkd sets a new link's peers to none: the sync puts them back.
                                         triggers: networkd + [.restart(sync.unit)]))
            }
            let peers: [[String: any Sendable]] = wireguard.peers.map {
                ["public_key": $0.base64, "address": GluonWireGuardDerivation.nodeLinkAddress($0).description]
            }
            files.append(ManagedFile(
                path: sync.peersPath,
                content: try renderer.render("wireguard/peers.conf", ["domain": domain.code, "interface": domain.wireguardInterface, "port": wireguard.port,
                                                                       "source": Echo.inline(wireguard.peersSource, limit: 200), "peers": peers]),
                triggers: [.restart(sync.unit)]))
        }
        return files
    }

    /// One sync unit per WireGuard domain, after networkd (which makes the link it fills).
    static func wireguardUnits(_ views: [GatewayDomainView]) -> [String] {
        wireguardViews(views).map { WireGuardSync(link: $0.domain.wireguardInterface).unit }
    }

    /// The keys this gateway makes: the exit tunnel's where it sends clients through one, the mesh key where it offers WireGuard.
    func wireguardKeys(_ gateway: Gateway, _ views: [GatewayDomainView]) -> [WireGuardKey] {
        var keys: [WireGuardKey] = []
        if site.exit(for: gateway) != nil { keys.append(WireGuardKey(.exit)) }
        if !Self.wireguardViews(views).isEmpty { keys.append(WireGuardKey(.mesh)) }
        return keys
    }
}

/// The oneshot that puts a domain's node keys into its WireGuard link with `wg syncconf`: peers added and removed
/// in place, the link and every other node's session untouched.
public struct WireGuardSync: Sendable, Equatable {
    /// The domain's `wg-NAME` (``MeshDomain/wireguardInterface``).
    public var link: String

    public static let template = "gwsetup-wireguard-sync@.service"
    public static let peersDirectory = "/etc/gwsetup/wireguard"
    public static let scriptPath = "/usr/local/lib/gwsetup/gwsetup-wireguard-sync"
    /// Its instance is the link's name escaped, so `%i` names the link's device unit, which it is bound to and wanted by.
    public var unit: String { "gwsetup-wireguard-sync@\(UnitName.escape(link)).service" }
    public var peersPath: String { "\(Self.peersDirectory)/\(link).peers" }
}
