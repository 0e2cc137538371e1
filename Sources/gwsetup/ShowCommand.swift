import ArgumentParser
import Foundation
import GatewayKit

struct ShowCommand: ParsableCommand, VerboseCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a plan saved by `plan --out`, as plan printed it.",
        discussion: """
            The file is read as untrusted input: checked strictly like `apply --plan` checks it, never run, and \
            shown with control characters escaped. Nothing connects anywhere. Exit 0 shown, 1 error.
            """
    )

    @Argument(help: ArgumentHelp("The saved plan file.", valueName: "PLAN"))
    var plan: String

    @Flag(name: .long, help: "Print the plan file as JSON (the form `plan --json` prints).")
    var json = false

    @Flag(name: .long, help: "Show the content of files that do not exist yet.")
    var showNewFiles = false

    @OptionGroup var verbosity: VerbosityOptions

    func run() throws {
        let plans = try PlanShow.load(plan)
        if json {
            print(String(decoding: try PlanShow.json(plans), as: UTF8.self))
        } else {
            print(PlanShow.text(plans, file: plan, colors: Terminal.wantsColors(), showNewFiles: showNewFiles), terminator: "")
        }
    }
}
