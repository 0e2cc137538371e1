import ArgumentParser
import GatewayKit

@main
struct GWSetup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gwsetup",
        abstract: "Turn one declarative site file into a working, secure Freifunk gateway.",
        version: GatewayKit.version,
        subcommands: [PlanCommand.self, RenderCommand.self, VerifyCommand.self, GluonCommand.self]
    )
}
