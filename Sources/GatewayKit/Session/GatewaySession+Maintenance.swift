import Foundation
import Logging

/// `gwsetup maintenance on|off`: drains a gateway by hand through its agent, the same switch the uplink check uses.
extension GatewaySession {
    /// What the gateway reported once the agent acted.
    public struct MaintenanceResult: Sendable, Equatable {
        public var gateway: String
        public var maintenance: Bool
        public var drained: Bool
    }

    /// Sets or clears the maintenance marker (kept under /var/lib, so it outlives agent restarts and reboots), wakes
    /// the agent and waits for its drained marker to follow; fails when the site or the gateway has no agent.
    public func maintenance(_ gateway: Gateway, on: Bool, waitSeconds: Int = 30) async throws -> MaintenanceResult {
        guard site.services.uplinkCheck != nil else {
            throw MaintenanceError("\(gateway.name): maintenance is done by gwsetup's agent, which this site does not install; turn on services.uplink_check and apply")
        }
        let script = MaintenanceScript.make(on: on, waitSeconds: waitSeconds)
        let spec = try TransportSpec(gateway.connection)
        let result = try await spec.withTransport(sshOptions: sshOptions, logger: Logger(label: "gwsetup.maintenance")) { transport in
            try await transport.run(script, timeout: .seconds(waitSeconds + 30))
        }
        let lines = result.stdoutText.split(separator: "\n")
        switch result.status {
        case 0:
            return MaintenanceResult(gateway: gateway.name, maintenance: on, drained: lines.contains("drained"))
        case 3:
            throw MaintenanceError("\(gateway.name): gwsetup-agent is not running; apply the site first (systemctl status gwsetup-agent)")
        case 4:
            throw MaintenanceError("\(gateway.name): the agent did not \(on ? "drain" : "undrain") the gateway within \(waitSeconds) s; see journalctl -u gwsetup-agent")
        default:
            throw MaintenanceError("\(gateway.name): maintenance \(on ? "on" : "off") failed: \(result.stderrText.split(separator: "\n").last.map(String.init) ?? "exit \(result.status)")")
        }
    }
}

/// The script maintenance runs on the gateway: marker, SIGHUP to the agent, then wait for the drained marker to follow.
enum MaintenanceScript {
    static func make(on: Bool, waitSeconds: Int) -> String {
        let marker = ShellQuote.quote(DesiredState.maintenanceMarker)
        let drained = ShellQuote.quote(LiveNetwork.drainedMarker)
        let unit = ShellQuote.quote(DesiredState.agentUnit)
        let folder = ShellQuote.quote(URL(fileURLWithPath: DesiredState.maintenanceMarker).deletingLastPathComponent().path)
        let change = on ? "mkdir -p \(folder) && : > \(marker)"
            : "rm -f \(marker)"
        // Off: the agent has read the marker's absence (its state file says so); drained may stay, for a dead uplink.
        let wanted = on ? "[ -e \(drained) ]" : "! grep -qs '\"maintenance\":true' \(ShellQuote.quote(DesiredState.agentStatePath))"
        return """
            set -u
            export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
            \(change) || exit 1
            systemctl is-active --quiet \(unit) || exit 3
            systemctl kill --kill-whom=main --signal=HUP \(unit) || exit 1
            i=0
            until \(wanted); do
                i=$((i + 1)); [ "$i" -gt \(waitSeconds * 5) ] && exit 4
                sleep 0.2
            done
            if [ -e \(drained) ]; then echo drained; else echo serving; fi

            """
    }
}

/// Maintenance could not be switched; one line naming the gateway.
public struct MaintenanceError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
