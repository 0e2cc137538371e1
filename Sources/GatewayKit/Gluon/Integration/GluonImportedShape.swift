import GatewayBase
import GluonKit

/// What import keeps of the firmware's shape so export can write it back: generation, groups, names, remotes.
enum GluonImportedShape {
    /// The generation the first fastd domain is written in; nil for WireGuard-only sites.
    static func layout(of site: GluonSite) -> GluonFirmwareLayout? {
        guard let domain = site.domains.first(where: { $0.meshVPN.fastd != nil }), let fastd = domain.meshVPN.fastd else { return nil }
        if fastd.tablePath == ["fastd_mesh_vpn"] {
            let legacy = domain.config.value(at: ["fastd_mesh_vpn", "groups"]) == nil && domain.config.value(at: ["fastd_mesh_vpn", "backbone"]) != nil
            return legacy ? .fastdMeshVPNBackbone : .fastdMeshVPNGroups
        }
        return fastd.mtu?.layout == .meshVPN ? .meshVPNMTU : .meshVPNFastdMTU
    }

    /// Every group in order, nested ones after their parent.
    static func groups(of fastd: GluonFastd) -> [FirmwarePeerGroup] {
        func walk(_ groups: [GluonPeerGroup<GluonFastdPeer>], parent: [String]) -> [FirmwarePeerGroup] {
            groups.flatMap { group in [FirmwarePeerGroup(path: parent + [group.name], limit: group.limit)] + walk(group.groups, parent: parent + [group.name]) }
        }
        return walk(fastd.groups, parent: [])
    }

    /// One `backbone` group without subgroups is what export writes anyway; anything else is kept.
    static func needsGroups(_ fastd: GluonFastd) -> Bool {
        let all = groups(of: fastd)
        return all.count != 1 || all[0].path != ["backbone"]
    }

    /// The group holding the named peer.
    static func groupPath(of peer: String, in fastd: GluonFastd) -> [String]? {
        func find(_ groups: [GluonPeerGroup<GluonFastdPeer>], parent: [String]) -> [String]? {
            for group in groups {
                if group.peers.contains(where: { $0.name == peer }) { return parent + [group.name] }
                if let inner = find(group.groups, parent: parent + [group.name]) { return inner }
            }
            return nil
        }
        return find(fastd.groups, parent: [])
    }

    /// `peer_groups:` items, `{name: backbone, limit: 1}`.
    static func groupItems(_ groups: [FirmwarePeerGroup]) -> [String] {
        groups.map { group in
            "{name: \(YAMLWriter.scalar(group.name))" + (group.limit.map { ", limit: \($0)" } ?? "") + "}"
        }
    }

    /// Gateways that import gives the same SSH target, so the admin is warned before two names log into one host.
    static func sharedSSHTargets(_ gateways: [GluonImportedGateway]) -> [String] {
        var byHost: [String: [GluonImportedGateway]] = [:]
        for gateway in gateways { if let host = gateway.publicHost?.lowercased() { byHost[host, default: []].append(gateway) } }
        return byHost.keys.sorted().compactMap { host in
            guard let sharing = byHost[host], sharing.count > 1 else { return nil }
            let places = sharing.map { gateway in
                "'\(gateway.name)' (fastd peer \(gateway.peerName)" + (gateway.memberships.first?.peer.location.map { " at \($0)" } ?? "") + ")"
            }
            return "warning: gateways \(places.joined(separator: ", ")) share the SSH target root@\(host.contains(":") ? "[\(host)]" : host); the firmware lists the same host under several peer names, so check they are really different machines before apply"
        }
    }
}
