import ArgumentParser
import GatewayKit

struct MaintenanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maintenance",
        abstract: "Drain a gateway by hand (gw_mode off, DHCP stopped, RAs with lifetime 0), or bring it back.",
        discussion: """
            Needs services.uplink_check: the gateway's agent does the switching. `on` survives agent restarts and \
            reboots until `off`; plan and verify treat the drained gateway as intended.
            """
    )

    enum Switch: String, ExpressibleByArgument, CaseIterable { case on, off }

    @Argument(help: "on or off.")
    var state: Switch

    @OptionGroup var options: SiteOptions
    @OptionGroup var connection: ConnectionOptions

    /// Draining every gateway of a community at once is an outage, so the gateways are always named.
    func validate() throws {
        if options.gatewayNames.isEmpty { throw ValidationError("maintenance needs --gateway: name the gateways to drain or bring back") }
    }

    func run() async throws {
        let pipeline = try options.loadPipeline(placeholders: .refuse)
        let session = GatewaySession(pipeline: pipeline, sshOptions: try connection.transportOptions())
        for target in try options.gateways(of: pipeline) {
            let result = try await session.maintenance(target, on: state == .on)
            print("\(result.gateway): maintenance \(result.maintenance ? "on" : "off"), \(result.drained ? "drained" : "serving")")
        }
    }
}
