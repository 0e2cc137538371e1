import ArgumentParser
import GatewayKit
import GatewayBase

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Write exactly the files apply would write, as a tree under a folder (DIR/etc/…).",
        discussion: """
            DIR must be new, empty, or a folder render wrote before (it leaves DIR/\(RenderTree.markerName)); \
            any other folder needs --force, and / (the running system) is always refused. Exit 0 written, 1 error.
            """
    )

    @OptionGroup var options: SiteOptions

    @Option(name: .long, help: ArgumentHelp("Folder to write the tree into: new, empty, or rendered before.", valueName: "DIR"))
    var output: String

    @Flag(name: .long, help: "Write into a non-empty folder that render did not write (never into /).")
    var force = false

    func run() throws {
        let pipeline = try options.loadPipeline()
        let gateway = try pipeline.singleGateway(named: options.gateway)
        let written = try pipeline.render(gateway, to: output, force: force)
        print("Rendered \(written.count) files for \(gateway.name) into \(Echo.line(output))")
    }
}
