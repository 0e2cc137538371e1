import ArgumentParser
import GatewayKit
import GatewayBase

struct MonitoringCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitoring",
        abstract: "Write the monitoring host's Prometheus scrape config, alert rules and Grafana dashboard for the site's gateways.",
        discussion: "Files: DIR/prometheus/prometheus.yml, DIR/prometheus/gwsetup-alerts.yml, DIR/grafana/gwsetup-gateways.json. Exit 0 written, 1 error."
    )

    @OptionGroup var options: SiteOptions

    @Option(name: .long, help: ArgumentHelp("Folder to write the files into.", valueName: "DIR"))
    var output: String

    func run() throws {
        let pipeline = try options.loadPipeline(placeholders: .warn)
        let written = try MonitoringBundle(site: pipeline.site).write(to: output)
        print("Wrote \(written.count) monitoring files into \(Echo.line(output))")
    }
}
