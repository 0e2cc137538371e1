import Foundation
import Logging
import GatewayBase

/// A loaded site with its templates, the starting point of every command.
public struct SitePipeline: Sendable {
    public let sitePath: String
    public let loaded: LoadedSite
    public let renderer: TemplateRenderer
    /// Where each stage reports itself: journald on a systemd host (see ``LoggingSetup``), stderr above warnings.
    public let logger: Logger

    public var site: Site { loaded.site }

    /// Loads and validates the site and finds its templates; `site.templates` is relative to the site file.
    public init(sitePath: String, bundledTemplates: String? = TemplateStore.locateBundled(),
                logger: Logger = Logger(label: "gwsetup.pipeline")) throws {
        self.sitePath = sitePath
        self.logger = logger
        do {
            loaded = try SiteLoader.load(path: sitePath)
        } catch {
            logger.error("site rejected: \(error)", metadata: [LogKey.step: "load-site", LogKey.resource: "site:\(sitePath)", LogKey.outcome: "failed"])
            throw error
        }
        guard let bundled = bundledTemplates else {
            throw RenderError("cannot find gwsetup's Templates folder (looked in ../share/gwsetup/Templates beside the binary, a checkout's Templates/ above it, \(TemplateStore.systemTemplates)); set GWSETUP_TEMPLATES")
        }
        let overrides = loaded.site.templatesDirectory.map { directory in
            directory.hasPrefix("/") ? directory : URL(fileURLWithPath: sitePath).deletingLastPathComponent().appendingPathComponent(directory).path
        }
        if let overrides, !FileManager.default.fileExists(atPath: overrides) {
            let location = loaded.locations["site.templates"].map { "\($0): " } ?? ""
            throw RenderError("\(location)template folder \(overrides) does not exist")
        }
        renderer = TemplateRenderer(store: TemplateStore(bundledDirectory: bundled, overrideDirectory: overrides))
        logger.info("loaded site \(loaded.site.identity.code) with \(loaded.site.gateways.count) gateways and \(loaded.site.domains.count) domains",
                    metadata: [LogKey.step: "load-site", LogKey.resource: "site:\(sitePath)", LogKey.outcome: "loaded"])
        for warning in loaded.warnings {
            logger.notice("\(warning)", metadata: [LogKey.step: "load-site", LogKey.resource: "site:\(sitePath)", LogKey.outcome: "warning"])
        }
    }

    /// The gateways a command works on: the one named, or all of them.
    public func gateways(named name: String?) throws -> [Gateway] {
        guard let name else { return site.gateways }
        guard let gateway = site.gateway(name) else {
            let hint = Suggestion.closest(to: name, among: site.gateways.map(\.name)).map { "; did you mean '\($0)'?" } ?? ""
            throw GatewaySelectionError("\(sitePath): no gateway \(Echo.quoted(name)) (the site has \(site.gateways.map(\.name).joined(separator: ", ")))\(hint)")
        }
        return [gateway]
    }

    /// Exactly one gateway: the one named, or the site's only one.
    public func singleGateway(named name: String?) throws -> Gateway {
        let gateways = try gateways(named: name)
        guard gateways.count == 1 else {
            throw GatewaySelectionError("\(sitePath) has \(gateways.count) gateways (\(gateways.map(\.name).joined(separator: ", "))); name one with --gateway")
        }
        return gateways[0]
    }

    public func desiredState(for gateway: Gateway) throws -> DesiredState {
        let desired = try AgentBinary.resolve(
            try FastdSecretFile.resolve(try DesiredStateBuilder(site: site, renderer: renderer).build(for: gateway), gateway: gateway, in: self))
        logger.info("rendered \(desired.files.count) files, \(desired.packages.count) packages, \(desired.units.count) units for \(gateway.name)",
                    metadata: [LogKey.step: "desired-state", LogKey.gateway: "\(gateway.name)", LogKey.outcome: "rendered"])
        return desired
    }

    /// Writes the gateway's files under `directory` as apply would install them; returns their paths.
    /// `force` lets it write into a non-empty folder that render did not write before.
    public func render(_ gateway: Gateway, to directory: String, force: Bool = false) throws -> [String] {
        let written = try RenderTree.write(try desiredState(for: gateway), to: directory, force: force)
        for path in ["/" + RenderTree.markerName] + written {
            logger.info("wrote \(directory)\(path)", metadata: [LogKey.step: "render", LogKey.resource: "file:\(path)", LogKey.outcome: "written"])
        }
        return written
    }
}
