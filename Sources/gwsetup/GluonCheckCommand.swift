import ArgumentParser
struct GluonCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check")
}
