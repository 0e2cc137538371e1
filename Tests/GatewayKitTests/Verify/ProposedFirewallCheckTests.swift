import Foundation
import Testing
@testable import GatewayKit
import TestSupport

/// The plan-time check, with a site whose override template drops the SSH accept (the classic self-lockout).
@Suite struct ProposedFirewallCheckTests {
    /// The single-gateway example with its own iptables template, made from the bundled one by `edit`.
    func siteWithFirewallTemplate(_ edit: (String) -> String) throws -> (site: String, folder: ScratchFolder) {
        let folder = try ScratchFolder()
        try FileManager.default.createDirectory(atPath: folder.path + "/my-templates/iptables", withIntermediateDirectories: true)
        let bundled = try String(contentsOfFile: TestPaths.repository + "/Templates/iptables/rules.v4.mustache", encoding: .utf8)
        try folder.write("my-templates/iptables/rules.v4.mustache", edit(bundled))
        let site = try String(contentsOfFile: TestPaths.example("single-gateway.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "  timezone: Europe/Berlin", with: "  timezone: Europe/Berlin\n  templates: my-templates")
        return (try folder.write("site.yaml", site), folder)
    }

    static func withoutSSH(_ template: String) -> String {
        template.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.contains("ssh_sources") && !$0.contains("ssh_port") }.joined(separator: "\n")
    }

    func check(_ site: String, gateway name: String? = nil, force: Bool) throws -> [String] {
        let pipeline = try SitePipeline(sitePath: site, bundledTemplates: TestPaths.repository + "/Templates")
        let gateway = try pipeline.singleGateway(named: name)
        return try ProposedFirewallCheck.check(site: pipeline.site, gateway: gateway, desired: try pipeline.desiredState(for: gateway), force: force)
    }

    @Test func theBundledTemplatesPassWithoutWarnings() throws {
        #expect(try check(TestPaths.example("single-gateway.yaml"), force: false) == [])
        #expect(try check(TestPaths.example("two-domains.yaml"), gateway: "gw1", force: false) == [])
        #expect(try check(TestPaths.example("two-domains.yaml"), gateway: "gw2", force: false) == [])
    }

    @Test func rulesWithoutTheSSHAcceptAreRefusedNamingTheIntentAndTheDecidingRules() throws {
        let (site, folder) = try siteWithFirewallTemplate(Self.withoutSSH)
        defer { folder.cleanup() }
        #expect {
            try check(site, force: false)
        } throws: { error in
            "\(error)" == "gw1: the proposed firewall would cut off admin SSH: IPv4 uplink eth0: SSH (tcp/22) from anywhere is accepted FAILS "
                + "(/etc/gwsetup/firewall/rules.v4 (rendered):14, /etc/gwsetup/firewall/rules.v4 (rendered) filter INPUT policy DROP); "
                + "use --force-firewall to plan it anyway"
        }
    }

    @Test func forcedTheLockoutBecomesTheFirstWarning() throws {
        let (site, folder) = try siteWithFirewallTemplate(Self.withoutSSH)
        defer { folder.cleanup() }
        let warnings = try check(site, force: true)
        #expect(warnings.count == 1)
        #expect(warnings.first?.hasPrefix("warning: gw1: the proposed firewall would cut off admin SSH: IPv4 uplink eth0: SSH") == true)
        #expect(warnings.first?.hasSuffix("(planned anyway: --force-firewall)") == true)
    }

    @Test func aRuleThatOnlyMightLetSSHInIsALockoutToo() throws {
        // A rate limit cannot be proven to let the admin in at the moment it matters.
        let (site, folder) = try siteWithFirewallTemplate { $0.replacingOccurrences(of: "-p tcp -m tcp --dport {{ssh_port}}", with: "-p tcp -m tcp --dport {{ssh_port}} -m limit --limit 3/min") }
        defer { folder.cleanup() }
        #expect(throws: FirewallLockoutError.self) { try check(site, force: false) }
    }

    @Test func anotherBrokenIntentIsAWarningAndThePlanGoesOn() throws {
        let (site, folder) = try siteWithFirewallTemplate { $0.replacingOccurrences(of: "{{#mesh_services}}\n-A gw-mesh-in", with: "{{#mesh_services}}\n-A gw-wan-in") }
        defer { folder.cleanup() }
        let warnings = try check(site, force: false)
        #expect(warnings.contains { $0.hasPrefix("warning: gw1: the proposed firewall: IPv4 uplink eth0: DNS over UDP is closed (no open resolver) FAILS (") })
        #expect(warnings.contains { $0.hasPrefix("warning: gw1: the proposed firewall: IPv4 mesh ffx: DNS over UDP from clients is answered FAILS (") })
    }

    @Test func planRefusesWithOneLineAndExit1AndForceFirewallLetsItThrough() throws {
        let (site, folder) = try siteWithFirewallTemplate(Self.withoutSSH)
        defer { folder.cleanup() }
        let refused = try runGwsetup(["plan", "--offline", "--site", site])
        #expect(refused.status == 1)
        #expect(refused.output.isEmpty, "nothing planned")
        #expect(refused.error.split(separator: "\n").count == 1)
        #expect(refused.error.hasPrefix("error: gw1: the proposed firewall would cut off admin SSH: IPv4 uplink eth0: SSH (tcp/22) from anywhere is accepted FAILS"))
        let forced = try runGwsetup(["plan", "--offline", "--force-firewall", "--site", site])
        #expect(forced.status == 0)
        #expect(forced.output.contains("+ file      /etc/gwsetup/firewall/rules.v4"))
        #expect(forced.error.contains("warning: gw1: the proposed firewall would cut off admin SSH"))
    }
}
