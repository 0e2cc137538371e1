import ArgumentParser
import GatewayKit

extension GWSetup {
    /// `gwsetup --version` prints the version the package was built from; `gwsetup` alone shows the help.
    func run() async throws {
        guard version else { throw CleanExit.helpRequest(self) }
        print(GatewayKit.version)
    }

    /// argument-parser takes a parent's flag after a subcommand too, so `gwsetup plan --version` would run plan and
    /// ignore the flag; it is refused like any option the subcommand does not have (after `--` it is an argument).
    static func refuseVersionBelowRoot(_ command: any ParsableCommand,
                                       arguments: [String] = Array(CommandLine.arguments.dropFirst())) throws {
        guard !(command is GWSetup), arguments.prefix(while: { $0 != "--" }).contains("--version") else { return }
        throw ValidationError("unknown option '--version' (it belongs to gwsetup itself: 'gwsetup --version')")
    }
}
