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

    func run() async throws {
        let pipeline = try options.loadPipeline()
        let target = try pipeline.singleGateway(named: options.gateway)
        let session = GatewaySession(pipeline: pipeline, sshOptions: try connection.transportOptions())
        let result = try await session.maintenance(target, on: state == .on)
        print("\(result.gateway): maintenance \(result.maintenance ? "on" : "off"), \(result.drained ? "drained" : "serving")")
    }
}
