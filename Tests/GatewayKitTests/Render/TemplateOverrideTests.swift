import Foundation
import Testing
@testable import GatewayKit
import TestSupport

@Suite struct TemplateOverrideTests {
    /// A site folder with the single-gateway example pointing at an override folder of its own.
    func siteWithOverride(_ relativePath: String, _ text: String) throws -> (site: String, cleanup: () -> Void) {
        let directory = try Shell.temporaryDirectory()
        let overrideFile = directory + "/my-templates/" + relativePath + ".mustache"
        try FileManager.default.createDirectory(atPath: (overrideFile as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: overrideFile, atomically: true, encoding: .utf8)
        let site = try String(contentsOfFile: TestPaths.example("single-gateway.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "  timezone: Europe/Berlin", with: "  timezone: Europe/Berlin\n  templates: my-templates")
        try site.write(toFile: directory + "/site.yaml", atomically: true, encoding: .utf8)
        return (directory + "/site.yaml", { try? FileManager.default.removeItem(atPath: directory) })
    }

    @Test func anOverrideReplacesOneFileAndLeavesTheRestBundled() throws {
        let (site, cleanup) = try siteWithOverride("chrony/chrony.conf", "# our own chrony\n{{#allow}}allow {{.}}\n{{/allow}}")
        defer { cleanup() }
        let pipeline = try SitePipeline(sitePath: site, bundledTemplates: TestPaths.repository + "/Templates")
        let desired = try pipeline.desiredState(for: try pipeline.singleGateway(named: nil))
        #expect(desired.file("/etc/chrony/chrony.conf")?.content == "# our own chrony\nallow 10.99.0.0/16\nallow fd99:1234:5678::/64\n")
        #expect(desired.file("/etc/radvd.conf")?.content.contains("interface br-ffx") == true)
    }

    @Test func anOverrideNamingAValueGwsetupDoesNotProvideIsAnErrorWithItsLine() throws {
        let (site, cleanup) = try siteWithOverride("chrony/chrony.conf", "# ours\n\nallow {{alow}}\n")
        defer { cleanup() }
        let pipeline = try SitePipeline(sitePath: site, bundledTemplates: TestPaths.repository + "/Templates")
        #expect {
            try pipeline.desiredState(for: try pipeline.singleGateway(named: nil))
        } throws: { error in
            "\(error)".hasSuffix("my-templates/chrony/chrony.conf.mustache:3: template uses 'alow', which gwsetup does not provide")
        }
    }

    @Test func aMissingOverrideFolderIsAnError() throws {
        let (site, cleanup) = try siteWithOverride("x/y", "")
        defer { cleanup() }
        try FileManager.default.removeItem(atPath: (site as NSString).deletingLastPathComponent + "/my-templates")
        #expect(throws: RenderError.self) { try SitePipeline(sitePath: site, bundledTemplates: TestPaths.repository + "/Templates") }
    }
}
