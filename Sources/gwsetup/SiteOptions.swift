import ArgumentParser
import GatewayKit

/// The options every site command shares.
struct SiteOptions: ParsableArguments {
    @Option(name: .long, help: "The site file (YAML).")
    var site: String

    @Option(name: .long, help: "A gateway to work on; repeat it or give a comma list (gw1,gw2). Left out: every gateway of the site.")
    var gateway: [String] = []

    /// Every name given, comma lists split.
    var gatewayNames: [String] {
        gateway.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    func validate() throws {
        if let list = gateway.first(where: { $0.split(separator: ",", omittingEmptySubsequences: false).contains(where: \.isEmpty) }) {
            throw ValidationError("--gateway '\(list)' holds an empty name")
        }
    }
}

/// What a command does with `# PLACEHOLDER` markers left in the site: plan and apply stop, the rest warn.
enum PlaceholderHandling {
    case refuse, warn
}

extension SiteOptions {
    /// Loads the site and prints its warnings, as every site command starts; placeholders are looked for first,
    /// so a placeholder value that would not load is named as the unfinished work it is.
    func loadPipeline(placeholders: PlaceholderHandling) throws -> SitePipeline {
        switch placeholders {
        case .refuse: try SitePlaceholders.refuse(path: site)
        case .warn: for placeholder in SitePlaceholders.scan(path: site) { printToStandardError("warning: \(placeholder)") }
        }
        let pipeline = try SitePipeline(sitePath: site)
        printWarnings(pipeline)
        return pipeline
    }

    /// The gateways named with --gateway, or all of the site's.
    func gateways(of pipeline: SitePipeline) throws -> [Gateway] {
        try pipeline.gateways(named: gatewayNames)
    }
}
