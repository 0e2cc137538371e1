import GatewayKit

/// What plan and apply start from: the site (refused while it holds placeholders) loaded into a session, the
/// gateways chosen (all without --gateway).
struct SiteSelection {
    var session: GatewaySession
    let gateways: [Gateway]

    /// Warnings about a proposed firewall go to stderr, named by gateway when several run or `alwaysNameGateway`.
    init(_ options: SiteOptions, _ connection: ConnectionOptions, _ firewall: FirewallCheckOptions, alwaysNameGateway: Bool) throws {
        let pipeline = try options.loadPipeline(placeholders: .refuse)
        gateways = try options.gateways(of: pipeline)
        let naming = alwaysNameGateway || gateways.count > 1
        var session = GatewaySession(pipeline: pipeline, sshOptions: try connection.transportOptions()) { gateway, warning in
            printToStandardError((naming ? "\(gateway.name): " : "") + warning)
        }
        session.forceFirewall = firewall.forceFirewall
        self.session = session
    }

    /// Start and end lines on stderr for each gateway of a fleet run; none for a single gateway, whose output says it all.
    func progress(verb: String) -> FleetProgress? {
        gateways.count > 1 ? FleetProgress(total: gateways.count, verb: verb) : nil
    }
}
