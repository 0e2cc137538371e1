import ArgumentParser
import Foundation
import GatewayKit
import GatewayBase
import GluonKit

struct GluonImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write a site file from a Gluon site.conf (and its domains/*.conf).",
        discussion: """
            Placeholders are marked '# PLACEHOLDER: why' in the file and listed on stderr as FILE:LINE, one per line; \
            the file is checked by loading it. --output refuses to replace an existing file unless --force is given.
            """
    )

    @Argument(help: "The Gluon site.conf.")
    var siteConf: String

    @Option(name: .long, help: "Folder of domain files for a multidomain site (default: domains/ beside site.conf).")
    var domains: String?

    @Option(name: .long, help: "Write the site file here instead of stdout.")
    var output: String?

    @Flag(name: .long, help: "Let --output replace an existing file (an edited site file would be lost).")
    var force = false

    func run() throws {
        if let output, !force, FileManager.default.fileExists(atPath: output) {
            throw StepFailed(text: "\(output): already exists; gluon import does not replace a site file that may hold your edits (pass --force to overwrite it)")
        }
        let gluon = try GluonSiteLoader.load(siteConf: URL(fileURLWithPath: siteConf), domainsDirectory: domains.map { URL(fileURLWithPath: $0, isDirectory: true) })
        for warning in gluon.warnings { printToStandardError(warning.description) }
        let name = output ?? "site.yaml"
        let result = GluonSiteImporter.makeSite(from: gluon, outputName: name)
        let loadProblem = GluonSiteImporter.loadProblem(of: result, file: name)
        if let output { try FileAccess.write(result.yaml.hasSuffix("\n") ? result.yaml : result.yaml + "\n", to: output) }
        for note in result.notes { printToStandardError(note) }
        if let loadProblem {
            printToStandardError("note: the site file does not load yet; fill in the placeholders first. First problem: \(loadProblem)")
        }
        if output == nil { print(result.yaml, terminator: "") }
    }
}
