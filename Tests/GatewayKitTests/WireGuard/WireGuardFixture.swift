import Foundation
@testable import GatewayKit
import TestSupport

/// A two-domain site where ffx offers WireGuard beside fastd, written into a scratch folder with its peers folder.
enum WireGuardFixture {
    static let seed = "8d2d4b5eb0a4fd2df3e1a17a4c0d7a9a2c0a07e7e0f3e2a5b0d3c4e5f6a7b8c9"
    /// Keys from `wg genkey | wg pubkey`.
    static let nodeA = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg="
    static let nodeB = "9yfcfLN9vWjgoaHur5WXtrD88e5vmmaRINw9p176X24="

    static func yaml(wireguard: String = "    wireguard: {port: 51820, mtu: 1350, peers: nodes}\n", seed: Bool = true) -> String {
        """
        site: {code: ffx, name: Freifunk Example}
        domains:
          - code: ffx
            prefix4: 10.99.0.0/16
            prefix6: fd99:1234:5678::/64
            fastd: {port: 10000}
        \(seed ? "    domain_seed: \(Self.seed)\n" : "")\(wireguard)  - code: south
            prefix4: 10.60.0.0/16
            prefix6: fd60::/64
        gateways:
          - name: gw1
            ssh: root@gw1.example
            addresses:
              ffx: {ipv4: 10.99.0.1, ipv6: "fd99:1234:5678::1"}
              south: {ipv4: 10.60.0.1, ipv6: "fd60::1"}

        """
    }

    /// The site in `folder` with `nodes` (file name → content) in its peers folder; returns the site's path.
    static func write(_ folder: ScratchFolder, yaml: String = yaml(), nodes: [String: String] = ["a": "# alice\n\(nodeA)\n", "b": "\(nodeB)\n"]) throws -> String {
        try FileManager.default.createDirectory(atPath: folder.path + "/nodes", withIntermediateDirectories: true)
        for (name, content) in nodes { _ = try folder.write("nodes/\(name)", content) }
        return try folder.write("site.yaml", yaml)
    }

    static func load(_ folder: ScratchFolder, yaml: String = yaml(), nodes: [String: String]? = nil) throws -> LoadedSite {
        let path: String?
        if let nodes { path = try? write(folder, yaml: yaml, nodes: nodes) } else { path = try write(folder, yaml: yaml) }
        return try SiteLoader.load(path: path ?? "")
    }

    static func desired(_ folder: ScratchFolder) throws -> DesiredState {
        let site = try load(folder).site
        return try DesiredStateBuilder(site: site, renderer: YAMLSite.renderer).build(for: site.gateway("gw1")!)
    }
}
