import Foundation
import Logging

/// How apply asks before it changes anything; the caller owns the prompt, the session owns when it is asked.
public struct ApplyConfirmation: Sendable {
    /// Whether anyone can answer (a terminal); asking without one is refused before any connection.
    public var available: Bool
    /// Shows the plan (made on the host named by the string) and answers whether to apply it.
    public var ask: @Sendable (_ plan: Plan, _ host: String) async throws -> Bool

    public init(available: Bool, ask: @escaping @Sendable (_ plan: Plan, _ host: String) async throws -> Bool) {
        self.available = available
        self.ask = ask
    }
}

/// One gateway's apply: its report and, over SSH, what the run cost in connections.
public struct GatewayApplyResult: Sendable {
    public var report: ApplyReport
    /// Counted before the connection closed; nil on the local host.
    public var statistics: SSHTransport.Statistics?
}

extension GatewaySession {
    /// Plans afresh, holds a saved plan (`savedPlan`) to it, asks (`confirm`, only when there is no saved plan),
    /// applies and confirms the firewall over a new connection; `progress` shows lines as they happen.
    public func apply(_ gateway: Gateway, savedPlan: String? = nil, confirm: ApplyConfirmation? = nil, over given: (any Transport)? = nil,
                      progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> GatewayApplyResult {
        let desired = try checkedDesiredState(for: gateway)
        let saved = try savedPlan.map { path in try loadSavedPlan(path, for: desired) }
        let asking = saved == nil ? confirm : nil
        if let asking, !asking.available { throw ApplyError.confirmationNeeded }
        var logger = Logger(label: "gwsetup.apply")
        logger[metadataKey: LogKey.gateway] = "\(gateway.name)"
        var configured = GatewayApplier(desired: desired, logger: logger)
        configured.loginUser = gateway.connection.loginUser
        configured.firewallRollbackSeconds = firewallRollbackSeconds
        let applier = configured
        let run = { @Sendable (transport: any Transport) async throws -> GatewayApplyResult in
            // Only the fresh plan is ever applied; a saved one only has to match it.
            let (facts, current) = try await applier.plan(against: .transport(transport))
            let chosen = try saved?.confirm(current) ?? current
            if let asking, !chosen.isEmpty, try await !asking.ask(chosen, transport.describe) { throw ApplyError.cancelled }
            if !chosen.isEmpty {
                progress("Applying \(chosen.changes.count) changes to \(chosen.gateway) on \(transport.describe) in one batch…")
            }
            let report = try await applier.apply(chosen, facts: facts, over: transport)
            return GatewayApplyResult(report: report, statistics: (transport as? SSHTransport)?.statistics)
        }
        if let given { return try await run(given) }
        return try await TransportSpec(gateway.connection).withTransport(sshOptions: sshOptions, logger: logger, run)
    }
}
