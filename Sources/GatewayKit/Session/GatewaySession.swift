import Foundation
import Logging

/// The one front door of every verb: load → desired → lockout check → facts → plan → (saved-plan check → confirm →
/// apply → firewall confirmation), so the CLI, the fleet runner and the tests cannot run the steps in another order.
public struct GatewaySession: Sendable {
    public let pipeline: SitePipeline
    public var sshOptions: SSHTransport.Options
    /// Go on with rules that would refuse the admins' SSH (`--force-firewall`).
    public var forceFirewall = false
    /// Seconds new firewall rules may stay unconfirmed before the gateway restores the old ones.
    public var firewallRollbackSeconds = 120
    /// Where the proposed firewall's warnings go as they are found (stderr in the CLI), with the gateway they are about.
    public var warn: @Sendable (Gateway, String) -> Void

    public init(pipeline: SitePipeline, sshOptions: SSHTransport.Options = SSHTransport.Options(),
                warn: @escaping @Sendable (Gateway, String) -> Void = { _, _ in }) {
        self.pipeline = pipeline
        self.sshOptions = sshOptions
        self.warn = warn
    }

    public var site: Site { pipeline.site }

    /// What a plan is made against: a fresh Debian 12 without connecting, the gateway's own `ssh:`, or an open transport.
    public enum Host: Sendable {
        case offline
        case gateway
        case transport(any Transport)
    }

    /// The desired state of `gateway`, refused when its rules would lock the admins out (unless forced).
    public func checkedDesiredState(for gateway: Gateway) throws -> DesiredState {
        let desired = try pipeline.desiredState(for: gateway)
        let warnings = try ProposedFirewallCheck.check(site: site, gateway: gateway, desired: desired, force: forceFirewall)
        for warning in warnings { warn(gateway, warning) }
        return desired
    }

    /// The plan for one gateway and the words naming what it was made against (`ssh root@gw1`, `this host (local)`).
    public func plan(_ gateway: Gateway, against host: Host) async throws -> (plan: Plan, against: String) {
        let desired = try checkedDesiredState(for: gateway)
        let logger = Logger(label: "gwsetup.plan")
        var applier = GatewayApplier(desired: desired, logger: logger)
        applier.loginUser = gateway.connection.loginUser
        switch host {
        case .offline:
            return (try await applier.plan(against: .offline).plan, "a fresh Debian 12 (offline)")
        case .transport(let transport):
            return (try await applier.plan(against: .transport(transport)).plan, transport.describe)
        case .gateway:
            let spec = try TransportSpec(gateway.connection)
            let plan = try await spec.withTransport(sshOptions: sshOptions, logger: logger) { transport in
                try await applier.plan(against: .transport(transport)).plan
            }
            return (plan, spec == .local ? "this host (local)" : "ssh \(spec)")
        }
    }

    /// Reads the plan `plan --out` saved for `desired`'s gateway, checked against the site before any connection.
    public func loadSavedPlan(_ path: String, for desired: DesiredState) throws -> SavedPlan {
        try SavedPlan.load(path, for: desired)
    }
}
