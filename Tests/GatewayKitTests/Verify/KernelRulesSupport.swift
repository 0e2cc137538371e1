import Testing
@testable import GatewayKit
@testable import GatewayBase
import TestSupport

/// Loads a gateway's (gw1's unless named) rendered rules of a site into a namespace as gwsetup-firewall does on every
/// reload: iptables-restore replaces each table whole.
func loadRenderedRules(_ sitePath: String, gateway: String = "gw1", into namespace: borrowing ThrowawayNamespace) throws {
    let site = try SiteLoader.load(path: sitePath).site
    let renderer = TemplateRenderer(store: TemplateStore(bundledDirectory: TestPaths.repository + "/Templates"))
    let desired = try DesiredStateBuilder(site: site, renderer: renderer).build(for: try #require(site.gateway(gateway)))
    for (tool, family) in [("iptables-restore", IPFamily.ipv4), ("ip6tables-restore", .ipv6)] {
        let restored = try namespace.exec([tool], input: try #require(desired.file(DesiredState.firewallRulesPath(family))).content)
        #expect(restored.status == 0, "\(tool): \(restored.error)")
    }
}

/// `gwsetup verify --json` of the site (for `gateway`, or its only one) against the namespace's live rules, as the
/// gateway's dump would show them.
func verifyLiveRules(_ sitePath: String, gateway: String? = nil, _ namespace: borrowing ThrowawayNamespace, _ folder: ScratchFolder) throws -> (status: Int32, report: VerifyJSON) {
    let v4 = try namespace.exec(["iptables-save"]), v6 = try namespace.exec(["ip6tables-save"])
    #expect(v4.status == 0 && v6.status == 0)
    let result = try runGwsetup(["verify", "--site", sitePath] + (gateway.map { ["--gateway", $0] } ?? []) + ["--rules", try folder.write("dump.v4", v4.output),
                                 "--rules6", try folder.write("dump.v6", v6.output), "--json"])
    return (result.status, try VerifyJSON.decode(result.output))
}

/// Loads the site's rules into a fresh namespace, deletes one rule by hand (`tool -D rule…`), and verifies what is left.
func verifyAfterDeleting(_ rule: [String], with tool: String, site sitePath: String, _ folder: ScratchFolder) throws -> (status: Int32, report: VerifyJSON) {
    let namespace = try ThrowawayNamespace()
    try loadRenderedRules(sitePath, into: namespace)
    let deleted = try namespace.exec([tool, "-D"] + rule)
    #expect(deleted.status == 0, "\(deleted.error)")
    return try verifyLiveRules(sitePath, namespace, folder)
}
