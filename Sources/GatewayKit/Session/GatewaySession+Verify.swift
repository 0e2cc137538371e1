import Foundation
import GatewayBase
import Logging

extension GatewaySession {
    /// The rules verify checks: dumps in files (iptables-save format), or the gateway's live rules read by its probe.
    public enum Rules: Sendable {
        case files(ipv4: String?, ipv6: String?)
        case live
    }

    /// Checks one gateway's rules against its site's intents and against the rules gwsetup renders for it.
    public func verify(_ gateway: Gateway, rules: Rules) async throws -> VerifyReport {
        let checked: [CheckedRuleset]
        switch rules {
        case .files(let ipv4, let ipv6):
            checked = try [(ipv4, IPFamily.ipv4), (ipv6, .ipv6)].compactMap { path, family in
                try path.map { try CheckedRuleset.load(path: $0, family: family) }
            }
        case .live:
            var logger = Logger(label: "gwsetup.verify")
            logger.logLevel = .warning
            checked = try await TransportSpec(gateway.connection).withTransport(sshOptions: sshOptions, logger: logger) { transport in
                try await LiveRules.read(over: transport, logger: logger)
            }
        }
        return try FirewallVerifier.verify(site: site, gateway: gateway, desired: try pipeline.desiredState(for: gateway), checked: checked)
    }
}
