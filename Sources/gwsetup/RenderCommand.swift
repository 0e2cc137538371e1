import ArgumentParser
import GatewayKit

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Write exactly the files apply would write, as a tree under a folder (DIR/etc/…)."
    )

    @OptionGroup var options: SiteOptions

    @Option(name: .long, help: "Folder to write the tree into.")
    var output: String

    func run() throws {
        do {
            let pipeline = try options.loadPipeline()
            let gateway = try pipeline.singleGateway(named: options.gateway)
            let written = try pipeline.render(gateway, to: output)
            print("Rendered \(written.count) files for \(gateway.name) into \(output)")
        } catch {
            exitWithFailure(error)
        }
    }
}
