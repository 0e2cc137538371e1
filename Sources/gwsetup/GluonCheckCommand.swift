import ArgumentParser
import Foundation
import GatewayKit
import GatewayBase
import GluonKit
import Logging

struct GluonCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "List every disagreement between the firmware (site.conf) and what the gateways would run.",
        discussion: """
            The gateways' side is their configs as render would write them (site.templates overrides included): fastd's \
            ports, methods and MTU, and the addresses their resolvers listen on. \
            Exit 0 when they agree, 2 when any value differs, 1 on error. With --live, also reads the fastd public keys \
            each gateway holds (over its ssh:, read-only) and reports every firmware key that is not the one its gateway holds.
            """
    )

    @Option(name: .long, help: "The site file (YAML).")
    var site: String

    @Argument(help: "The Gluon site.conf.")
    var siteConf: String

    @Option(name: .long, help: "Folder of domain files for a multidomain site (default: domains/ beside site.conf).")
    var domains: String?

    @Option(name: .long, help: "A keys file ('GATEWAY DOMAIN KEY' lines) whose keys win over the site's.")
    var keys: String?

    @Flag(name: .long, help: "Print the disagreements as JSON.")
    var json = false

    @Flag(name: .long, help: "Also compare the firmware's keys with the keys the gateways hold (connects to each gateway).")
    var live = false

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let pipeline = try SitePipeline(sitePath: site)
        let loaded = pipeline.loaded
        let gluon = try GluonSiteLoader.load(siteConf: URL(fileURLWithPath: siteConf), domainsDirectory: domains.map { URL(fileURLWithPath: $0, isDirectory: true) })
        for warning in loaded.warnings { printToStandardError(warning.description) }
        for warning in gluon.warnings { printToStandardError(warning.description) }
        let keyFile = try keys.map { path in try GluonKeys.parse(try FileAccess.text(at: path), file: path) }
        var disagreements = try GluonSiteChecker.disagreements(pipeline: pipeline, gluon: gluon, keys: keyFile)
        if live {
            let held = try await GluonLiveKeys.read(loaded.site.gateways, sshOptions: try connection.transportOptions(), logger: Logger(label: "gwsetup.gluon"))
            disagreements += GluonLiveKeys.disagreements(site: loaded, siteFile: site, gluon: gluon, held: held)
        }
        for note in GluonSiteChecker.dnsNotes(site: loaded.site, gluon: gluon) { printToStandardError(note) }
        let unknown = GluonSiteChecker.gatewaysWithoutKnownKey(in: loaded.site, keys: keyFile)
        if !unknown.isEmpty {
            let list = unknown.map { "\($0.gateway)/\($0.domain)" }.joined(separator: ", ")
            printToStandardError("note: keys not compared for \(list): no fastd_public_key in the site and none in --keys")
        }
        if json {
            try Terminal.printJSON(GluonCheckReport(disagreements: disagreements))
        } else if disagreements.isEmpty {
            print("The gateways and the firmware agree.")
        } else {
            for disagreement in disagreements { print(disagreement) }
            print("\(disagreements.count) disagreement\(disagreements.count == 1 ? "" : "s") between \(site) and \(siteConf)")
        }
        if !disagreements.isEmpty { throw ExitCode(2) }
    }
}

/// The stable JSON shape of `gluon check --json`.
struct GluonCheckReport: Encodable {
    var disagreements: [GluonDisagreement]
}
