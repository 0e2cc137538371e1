import ArgumentParser
import GatewayKit

/// The options every site command shares.
struct SiteOptions: ParsableArguments {
    @Option(name: .long, help: "The site file (YAML).")
    var site: String

    @Option(name: .long, help: "The gateway to work on; may be left out when the site has one, or to work on all.")
    var gateway: String?
}

extension SiteOptions {
    /// Loads the site and prints its warnings, as every site command starts.
    func loadPipeline() throws -> SitePipeline {
        let pipeline = try SitePipeline(sitePath: site)
        printWarnings(pipeline)
        return pipeline
    }
}
