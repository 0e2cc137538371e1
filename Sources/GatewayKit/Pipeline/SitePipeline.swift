import Foundation

/// A loaded site with its templates, the starting point of every command.
public struct SitePipeline: Sendable {
    public let sitePath: String
    public let loaded: LoadedSite
    public let renderer: TemplateRenderer

    public var site: Site { loaded.site }

    /// Loads and validates the site and finds its templates; `site.templates` is relative to the site file.
    public init(sitePath: String, bundledTemplates: String? = TemplateStore.locateBundled()) throws {
        self.sitePath = sitePath
        loaded = try SiteLoader.load(path: sitePath)
        guard let bundled = bundledTemplates else {
            throw RenderError("cannot find gwsetup's Templates folder; set GWSETUP_TEMPLATES")
        }
        let overrides = loaded.site.templatesDirectory.map { directory in
            directory.hasPrefix("/") ? directory : URL(fileURLWithPath: sitePath).deletingLastPathComponent().appendingPathComponent(directory).path
        }
        if let overrides, !FileManager.default.fileExists(atPath: overrides) {
            let location = loaded.locations["site.templates"].map { "\($0): " } ?? ""
            throw RenderError("\(location)template folder \(overrides) does not exist")
        }
        renderer = TemplateRenderer(store: TemplateStore(bundledDirectory: bundled, overrideDirectory: overrides))
    }

    /// The gateways a command works on: the one named, or all of them.
    public func gateways(named name: String?) throws -> [Gateway] {
        guard let name else { return site.gateways }
        guard let gateway = site.gateway(name) else {
            let hint = Suggestion.closest(to: name, among: site.gateways.map(\.name)).map { "; did you mean '\($0)'?" } ?? ""
            throw RenderError("\(sitePath): no gateway '\(name)' (the site has \(site.gateways.map(\.name).joined(separator: ", ")))\(hint)")
        }
        return [gateway]
    }

    /// Exactly one gateway: the one named, or the site's only one.
    public func singleGateway(named name: String?) throws -> Gateway {
        let gateways = try gateways(named: name)
        guard gateways.count == 1 else {
            throw RenderError("\(sitePath) has \(gateways.count) gateways (\(gateways.map(\.name).joined(separator: ", "))); name one with --gateway")
        }
        return gateways[0]
    }

    public func desiredState(for gateway: Gateway) throws -> DesiredState {
        try DesiredStateBuilder(site: site, renderer: renderer).build(for: gateway.name)
    }
}
