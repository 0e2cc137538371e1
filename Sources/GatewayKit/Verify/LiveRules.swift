import Foundation
import Logging
import GatewayBase
import FirewallKit

/// Reads a gateway's live rules with `iptables-save; ip6tables-save` in one round trip, framed so the two dumps separate.
public enum LiveRules {
    static let marker = "#gwsetup-verify: "

    /// Read-only: the save tools print the kernel's tables and change nothing.
    static let script = """
        for tool in iptables-save ip6tables-save; do
          command -v "$tool" >/dev/null 2>&1 || { echo "$tool is not installed" >&2; exit 127; }
          printf '%s\\n' '\(marker)'"$tool"
          "$tool" || exit $?
        done
        """

    /// Dumps both families over an open transport.
    public static func read(over transport: any Transport) async throws -> [CheckedRuleset] {
        let result = try await transport.run(script, timeout: .seconds(60))
        guard result.succeeded else {
            let reason = result.stderrText.split(separator: "\n").last.map(String.init) ?? "exit status \(result.status)"
            throw VerifyError.liveRulesUnreadable("\(transport.describe): reading the live rules failed: \(reason)")
        }
        return try split(result.stdoutText, host: transport.describe)
    }

    /// Opens the gateway's transport, reads its rules and closes it again.
    ///
    /// The one place verify opens a connection; plan/apply open theirs with the same `TransportSpec.withTransport`.
    public static func read(gateway: Gateway, sshOptions: SSHTransport.Options = SSHTransport.Options(), logger: Logger) async throws -> [CheckedRuleset] {
        try await TransportSpec(gateway.connection).withTransport(sshOptions: sshOptions, logger: logger) { transport in
            try await read(over: transport)
        }
    }

    /// Separates the framed output into one labelled ruleset per family; line numbers count within each dump.
    public static func split(_ output: String, host: String) throws -> [CheckedRuleset] {
        var sections: [(tool: String, lines: [Substring])] = []
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(marker) {
                sections.append((String(line.dropFirst(marker.count)), []))
            } else if !sections.isEmpty {
                sections[sections.count - 1].lines.append(line)
            }
        }
        guard sections.map(\.tool) == ["iptables-save", "ip6tables-save"] else {
            throw VerifyError.liveRulesUnreadable("\(host): the rules dump is incomplete (got \(sections.map(\.tool).joined(separator: ", ")))")
        }
        return try sections.map { tool, lines in
            let label = "\(tool) on \(host)"
            let family: IPFamily = tool == "iptables-save" ? .ipv4 : .ipv6
            return CheckedRuleset(try RulesetParser.parse(lines.joined(separator: "\n"), file: label, family: family), source: label)
        }
    }
}
