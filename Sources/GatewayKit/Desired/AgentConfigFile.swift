import Foundation
import GatewayBase

/// /etc/gwsetup/agent.json as apply renders it: the writing side of AgentKit's `AgentConfig` (GatewayKit and the
/// agent share no code, so the agent binary stays small; AgentKitTests decodes this output with the agent's own type).
struct AgentConfigFile: Encodable {
    struct Target: Encodable {
        var kind: String
        var address: String
        var port: Int?
        var path: String?

        init(_ target: UplinkCheckSettings.Target) {
            switch target {
            case .icmp(let address):
                kind = "icmp"
                self.address = address.description
            case .http(let address, let port, let path):
                kind = "http"
                self.address = address.description
                self.port = port
                self.path = path
            }
        }
    }

    struct Batman: Encodable {
        var interface: String
        var bandwidth: String
    }

    struct Drain: Encodable {
        var batman: [Batman]
        var dhcpUnit: String?
        var radvdUnit: String?
        var radvdDrainUnit: String?
        var marker: String
        var maintenanceMarker: String

        enum CodingKeys: String, CodingKey {
            case batman, marker
            case dhcpUnit = "dhcp_unit"
            case radvdUnit = "radvd_unit"
            case radvdDrainUnit = "radvd_drain_unit"
            case maintenanceMarker = "maintenance_marker"
        }
    }

    struct Uplink: Encodable {
        var targets: [Target]
        var interval: Int
        var failAfter: Int
        var recoverAfter: Int
        var timeout: Int
        var interface: String?
        var drain: Drain

        enum CodingKeys: String, CodingKey {
            case targets, interval, timeout, interface, drain
            case failAfter = "fail_after"
            case recoverAfter = "recover_after"
        }
    }

    var uplink: Uplink?
    var respondd: AgentObservabilitySections.Respondd? = nil
    var metrics: AgentObservabilitySections.Metrics? = nil

    /// Sorted keys and a final newline: the same site always renders the same bytes.
    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}
