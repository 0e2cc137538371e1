import ArgumentParser
import GatewayKit

@main
struct GWSetup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gwsetup",
        abstract: "Turn one declarative site file into a working, secure Freifunk gateway.",
        subcommands: [PlanCommand.self, ApplyCommand.self, VerifyCommand.self, RenderCommand.self, ShowCommand.self, GluonCommand.self,
                      MaintenanceCommand.self, MonitoringCommand.self]
    )

    /// Root-only, unlike the parser's built-in `version:`, which every subcommand's help would list too.
    @Flag(name: .long, help: "Show the version of gwsetup.") var version = false

    /// Sends every step to journald on a systemd host before any command runs; stderr only gets what the
    /// commands print themselves (and, with -v, every log record), so a failure is one line, not one line plus its log record. Commands throw;
    /// their errors, and argument-parser's, leave in one place (`exitForError`) with one contract: exit 1.
    static func main() async {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
            try refuseVersionBelowRoot(command)
        } catch {
            LoggingSetup.bootstrap(standardErrorLevel: VerbosityOptions.quietLevel)
            exitForError(error)
        }
        // Logging is set up once the command line is known, since -v decides what stderr shows.
        LoggingSetup.bootstrap(standardErrorLevel: (command as? VerboseCommand)?.verbosity.standardErrorLevel ?? VerbosityOptions.quietLevel)
        do {
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
