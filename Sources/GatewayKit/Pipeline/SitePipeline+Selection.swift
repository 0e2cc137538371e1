import GatewayBase

extension SitePipeline {
    /// The gateways a command works on: each one named (in site order, once), or all of them when none is named.
    public func gateways(named names: [String]) throws -> [Gateway] {
        guard !names.isEmpty else { return site.gateways }
        var chosen = Set<String>()
        for name in names { chosen.insert(try gateways(named: name)[0].name) }
        return site.gateways.filter { chosen.contains($0.name) }
    }

    /// Writes each gateway's files as apply would install them: `directory/etc/…` for one gateway,
    /// `directory/<gateway>/etc/…` for several, so a fleet's trees never mix. Returns where each went and what.
    public func render(_ gateways: [Gateway], to directory: String, force: Bool = false) throws -> [RenderedGateway] {
        guard gateways.count > 1 else {
            return try gateways.map { RenderedGateway(gateway: $0.name, directory: directory, files: try render($0, to: directory, force: force)) }
        }
        try RenderTree.prepareFleetFolder(directory, gateways: gateways.map(\.name), force: force)
        return try gateways.map { gateway in
            let folder = directory + "/" + gateway.name
            return RenderedGateway(gateway: gateway.name, directory: folder, files: try render(gateway, to: folder, force: force))
        }
    }
}

/// What render wrote for one gateway: the folder its tree is in and the paths below it.
public struct RenderedGateway: Sendable, Equatable {
    public let gateway: String
    public let directory: String
    public let files: [String]
}
