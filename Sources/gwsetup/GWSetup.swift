import ArgumentParser
import GatewayKit

@main
struct GWSetup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gwsetup",
        abstract: "Turn one declarative site file into a working, secure Freifunk gateway.",
        version: GatewayKit.version,
        subcommands: [PlanCommand.self, ApplyCommand.self, RenderCommand.self, GluonCommand.self]
    )

    /// Logging is set up once, before any command runs: journald (when present) gets every step, stderr only warnings.
    static func main() async {
        LoggingSetup.bootstrap()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
