@testable import GatewayKit
import TestSupport

/// WireGuard public keys (32 bytes of base64, as `wg pubkey` prints them) and a community whose clients leave through
/// an exit: gwa serves north (which the exit carries) and south (which it does not), gwb serves south only.
enum ExitFixture {
    /// The exit server's key.
    static let serverKey = "lUCeWaO16jr2cAJIY6k70R7XC4z6eLEUXsbSJ9IgSC4="
    /// A gateway's key, as its probe or apply reports it.
    static let gatewayKey = "7/Cxp1nP78+ECSY9b6qGd2hQ9GbAbIx6Ibg2yqctDLU="

    static func yaml(exit: String = "exit: {endpoint: 192.0.2.50:51820, public_key: \(serverKey), domains: [north]}\n",
                     gwaExitAddress: String? = "10.200.0.2/32", gwbExitAddress: String? = nil,
                     uplinkCheck: Bool = false) -> String {
        """
        site: {code: ffx, name: Freifunk Example}
        domains:
          - code: north
            prefix4: 10.60.0.0/16
            prefix6: fd60::/64
          - code: south
            prefix4: 10.61.0.0/16
            prefix6: fd61::/64

        """ + (uplinkCheck ? "services:\n  uplink_check: {targets: [192.0.2.80]}\n" : "") + """
        gateways:
          - name: gwa
            ssh: root@192.0.2.1
        \(gwaExitAddress.map { "    exit_address: \($0)\n" } ?? "")    addresses:
              north: {ipv4: 10.60.0.1, ipv6: "fd60::1"}
              south: {ipv4: 10.61.0.1, ipv6: "fd61::1"}
          - name: gwb
            ssh: root@192.0.2.2
        \(gwbExitAddress.map { "    exit_address: \($0)\n" } ?? "")    addresses:
              south: {ipv4: 10.61.0.2, ipv6: "fd61::2"}

        """ + exit
    }

    static func site(_ yaml: String = yaml()) throws -> Site { try YAMLSite.load(yaml) }

    static var renderer: TemplateRenderer { YAMLSite.renderer }

    static func desired(_ gateway: String, _ yaml: String = yaml()) throws -> DesiredState { try YAMLSite.desired(gateway, yaml) }
}
