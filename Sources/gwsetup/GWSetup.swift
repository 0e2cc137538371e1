import ArgumentParser
import GatewayKit

@main
struct GWSetup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gwsetup",
        abstract: "Turn one declarative site file into a working, secure Freifunk gateway.",
        version: GatewayKit.version,
        subcommands: [PlanCommand.self, ApplyCommand.self, VerifyCommand.self, RenderCommand.self, GluonCommand.self, MaintenanceCommand.self,
                      MonitoringCommand.self]
    )

    /// Sends every step to journald on a systemd host before any command runs; stderr only gets what the
    /// commands print themselves, so a failure is one line, not one line plus its log record. Commands throw;
    /// their errors, and argument-parser's, leave in one place (`exitForError`) with one contract: exit 1.
    static func main() async {
        LoggingSetup.bootstrap(standardErrorLevel: .critical)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exitForError(error)
        }
    }
}
