import ArgumentParser
import Foundation
import GatewayKit
import GatewayBase
import GluonKit

struct GluonExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print the site.conf fragment nodes need to reach these gateways.",
        discussion: """
            Keys come from the site's fastd_public_key values or from --keys, a file of 'GATEWAY DOMAIN KEY' lines \
            ('#' comments); a missing key is an error, never invented. Multidomain sites give a site.conf fragment \
            and one fragment per domains/<code>.conf.
            """
    )

    @Option(name: .long, help: "The site file (YAML).")
    var site: String

    @Option(name: .long, help: "A keys file: one 'GATEWAY DOMAIN KEY' per line; wins over the site's keys.")
    var keys: String?

    @Option(name: .long, help: "Write the fragments as files under this folder (site.conf, domains/<code>.conf) instead of stdout.")
    var output: String?

    func run() throws {
        let loaded = try SiteLoader.load(path: site)
        for warning in loaded.warnings { printToStandardError(warning.description) }
        let keyFile = try keys.map { path in try GluonKeys.parse(try FileAccess.text(at: path), file: path) }
        let fragments = try GluonExporter.fragments(for: loaded.site, keys: keyFile)
        guard let output else {
            print(GluonExporter.render(fragments, siteName: loaded.site.identity.name), terminator: "")
            return
        }
        for fragment in fragments {
            let url = URL(fileURLWithPath: output).appendingPathComponent(fragment.file)
            try FileAccess.createDirectory(at: url.deletingLastPathComponent().path)
            try FileAccess.write(LuaTablePrinter().print(fragment.table), to: url.path)
        }
        print("Wrote \(fragments.map(\.file).joined(separator: ", ")) under \(output)")
    }
}
