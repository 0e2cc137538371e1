import Foundation
import Testing
@testable import GatewayKit
import GatewayBase
import TestSupport

/// `fastd: none`: a domain whose nodes come over WireGuard only gets no fastd at all, and its clients' MTU is the
/// VXLAN's; a domain with neither VPN is refused.
@Suite struct WireGuardOnlyDomainTests {
    static let yaml = WireGuardFixture.yaml().replacingOccurrences(of: "    fastd: {port: 10000}\n", with: "    fastd: none\n")

    @Test func aWireGuardOnlyDomainRunsNoFastd() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let site = try WireGuardFixture.load(folder, yaml: Self.yaml).site
        let ffx = try #require(site.domain("ffx"))
        #expect(!ffx.fastd.isEnabled && ffx.fastdInstances(on: nil).isEmpty && ffx.meshMTU == 1350 && ffx.clientMTU == 1318)
        let desired = try DesiredStateBuilder(site: site, renderer: YAMLSite.renderer).build(for: site.gateway("gw1")!)
        #expect(!desired.files.contains { $0.path.hasPrefix("/etc/fastd/ffx") }, "\(desired.files.map(\.path))")
        #expect(desired.files.contains { $0.path == "/etc/fastd/south/fastd.conf" }, "south keeps its fastd")
        #expect(!desired.units.map(\.name).contains("fastd@ffx.service") && desired.units.map(\.name).contains("fastd@south.service"))
        #expect(desired.fastdKeys.map(\.instance) == ["south"])
        #expect(desired.meshLinks.first { $0.domain == "ffx" }?.fastdLinks.isEmpty == true)
        let v4 = try #require(desired.file(DesiredState.firewallRulesPath(.ipv4))).content
        #expect(!v4.contains("fastd ffx") && v4.contains("wireguard ffx") && v4.contains("fastd south"))
        // The MSS follows the VXLAN: 1350 - 32 - 40.
        #expect(v4.contains("clamp MSS to the mesh MTU of ffx\" -j TCPMSS --set-mss 1278"), "\(v4)")
        #expect(SavedPlanCheck.firstChangeOutside(desired, in: Planner.plan(desired, against: .freshDebian12)) == nil)
    }

    @Test func aDomainWithoutEitherVPNIsRefused() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let yaml = Self.yaml.replacingOccurrences(of: "    wireguard: {port: 51820, mtu: 1350, peers: nodes}\n", with: "")
        let error = try #require(throws: SiteErrors.self) { try WireGuardFixture.load(folder, yaml: yaml) }
        #expect(error.description.contains("domain 'ffx' has 'fastd: none' and no 'wireguard': its nodes could not reach a gateway"), "\(error)")
    }
}
