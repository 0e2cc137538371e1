import ArgumentParser
import GatewayKit

/// The plan-time SSH lockout check plan and apply both run on the rules they would load.
struct FirewallCheckOptions: ParsableArguments {
    @Flag(name: .long, help: "Go on with firewall rules even if they would refuse the admins' SSH.")
    var forceFirewall = false

    /// Throws when the proposed rules would cut off admin SSH (unless forced); other failing intents go to stderr.
    func check(_ pipeline: SitePipeline, _ gateway: Gateway, _ desired: DesiredState, prefix: String = "") throws {
        let warnings = try ProposedFirewallCheck.check(site: pipeline.site, gateway: gateway, desired: desired, force: forceFirewall)
        warnings.forEach { printToStandardError(prefix + $0) }
    }
}
