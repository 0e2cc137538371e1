import ArgumentParser

/// `gwsetup gluon …`: the community's router firmware (a Gluon site.conf) in, out, and compared.
struct GluonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gluon",
        abstract: "Import a Gluon site.conf, export the fragment the firmware needs, or check the two agree.",
        subcommands: [GluonImportCommand.self, GluonExportCommand.self, GluonCheckCommand.self]
    )
}
