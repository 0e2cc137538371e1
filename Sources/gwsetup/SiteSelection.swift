import GatewayKit

/// What plan and apply start from: the site loaded, the gateways chosen (all without --gateway), the SSH options read.
struct SiteSelection {
    let pipeline: SitePipeline
    let gateways: [Gateway]
    let sshOptions: SSHTransport.Options

    init(_ options: SiteOptions, _ connection: ConnectionOptions) throws {
        pipeline = try options.loadPipeline()
        gateways = try pipeline.gateways(named: options.gateway)
        sshOptions = try connection.transportOptions()
    }
}
