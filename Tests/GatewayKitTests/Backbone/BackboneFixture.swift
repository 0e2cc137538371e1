@testable import GatewayKit
import TestSupport

/// A community of three gateways meshed over tinc: gwa and gw-b hold keys in the site, gwc does not yet; gwc serves
/// only the first domain.
enum BackboneFixture {
    static func yaml(backbone: String = "backbone: {kind: tinc, port: 6550}\n", gwaKey: String? = TincKeyFixtures.gatewayA,
                     gwaHost: String = "root@192.0.2.1", gwbHost: String = "192.0.2.2") -> String {
        """
        site: {code: ffx, name: Freifunk Example}
        domains:
          - code: north
            prefix4: 10.60.0.0/16
            prefix6: fd60::/64
          - code: south
            prefix6: fd61::/64
        gateways:
          - name: gwa
            ssh: \(gwaHost)
        \(gwaKey.map { "    tinc_public_key: \($0)\n" } ?? "")    addresses:
              north: {ipv4: 10.60.0.1, ipv6: "fd60::1"}
              south: {ipv6: "fd61::1"}
          - name: gw-b
            public_host: \(gwbHost)
            tinc_public_key: \(TincKeyFixtures.gatewayB)
            addresses:
              north: {ipv4: 10.60.0.2, ipv6: "fd60::2"}
              south: {ipv6: "fd61::2"}
          - name: gwc
            ssh: root@gwc.example
            addresses:
              north: {ipv4: 10.60.0.3, ipv6: "fd60::3"}

        """ + backbone
    }

    static func site(_ yaml: String = yaml()) throws -> Site { try YAMLSite.load(yaml) }

    static var renderer: TemplateRenderer { YAMLSite.renderer }

    static func desired(_ gateway: String, _ yaml: String = yaml()) throws -> DesiredState { try YAMLSite.desired(gateway, yaml) }
}
