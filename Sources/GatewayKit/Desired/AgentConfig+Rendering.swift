import Foundation
import AgentKit

/// /etc/gwsetup/agent.json is the agent's own `AgentConfig`, encoded here: one type for the writer and the reader.
extension AgentConfig {
    /// Sorted keys and a final newline: the same site always renders the same bytes.
    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}

extension UplinkConfig.Target {
    /// A site's uplink target as the agent probes it.
    init(_ target: UplinkCheckSettings.Target) {
        switch target {
        case .icmp(let address): self.init(kind: .icmp, address: address.description)
        case .http(let address, let port, let path): self.init(kind: .http, address: address.description, port: port, path: path)
        }
    }
}
