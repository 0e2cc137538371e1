@testable import GatewayKit
import TestSupport

/// A site a test writes as YAML, loaded and built for one gateway as plan does: the plumbing every feature's fixture
/// would otherwise repeat.
enum YAMLSite {
    static let renderer = TemplateRenderer(store: TemplateStore(bundledDirectory: TestPaths.repository + "/Templates"))

    static func load(_ yaml: String) throws -> Site { try SiteLoader.load(yaml: yaml, file: "site.yaml").site }

    static func desired(_ gateway: String, _ yaml: String) throws -> DesiredState {
        let site = try load(yaml)
        return try DesiredStateBuilder(site: site, renderer: renderer).build(for: site.gateway(gateway)!)
    }
}
