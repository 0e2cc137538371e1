import ArgumentParser
import GatewayKit
import GatewayBase

struct RenderCommand: ParsableCommand, VerboseCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Write exactly the files apply would write, as a tree under a folder (DIR/etc/…, or DIR/<gateway>/etc/… for several).",
        discussion: """
            DIR must be new, empty, or a folder render wrote before (it leaves DIR/\(RenderTree.markerName)); \
            any other folder needs --force, and / (the running system) is always refused. One gateway is written to \
            DIR/etc/…, several each to DIR/<gateway>/etc/…. Placeholders left in the site are warnings here, since \
            nothing reaches a gateway. Exit 0 written, 1 error.
            """
    )

    @OptionGroup var options: SiteOptions
    @OptionGroup var verbosity: VerbosityOptions

    @Option(name: .long, help: ArgumentHelp("Folder to write the tree into: new, empty, or rendered before.", valueName: "DIR"))
    var output: String

    @Flag(name: .long, help: "Write into a non-empty folder that render did not write (never into /).")
    var force = false

    func run() throws {
        let pipeline = try options.loadPipeline(placeholders: .warn)
        for rendered in try pipeline.render(try options.gateways(of: pipeline), to: output, force: force) {
            print("Rendered \(rendered.files.count) files for \(rendered.gateway) into \(Echo.line(rendered.directory))")
        }
    }
}
