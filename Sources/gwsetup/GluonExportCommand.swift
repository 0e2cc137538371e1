import ArgumentParser
struct GluonExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export")
}
