import Foundation
import Testing
@testable import GatewayKit
import TestSupport

/// The README's walk-through from a community's Gluon site.conf to gateways and back to firmware, run as the script
/// Tests/walkthrough/gluon-to-gateway.sh on a real community's site (Freifunk Nord, 8 gateways), offline.
@Suite struct WalkthroughTests {
    @Test func aCommunitysSiteConfGoesThroughImportPlanApplyExportAndCheck() throws {
        let siteConf = try FirewallCorpus.directory().appendingPathComponent("gluon-site/ffnord-2019-ipv4-ipv6-remotes.site.conf").path
        let parent = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let work = parent + "/walk"
        let result = try Shell.run("'\(TestPaths.repository)/Tests/walkthrough/gluon-to-gateway.sh' '\(siteConf)' '\(work)'",
                                   environment: ["GWSETUP": TestPaths.gwsetupBinary, "GWSETUP_WALKTHROUGH_LIVE": "0"])
        #expect(result.status == 0, "\(result.output.suffix(3000))")
        for step in 1...9 { #expect(result.output.contains("== \(step). "), "step \(step) did not run") }

        let site = try String(contentsOfFile: work + "/site.yaml", encoding: .utf8)
        #expect(!site.contains("# PLACEHOLDER"))
        #expect(site.contains("admins: [{name: admin, keys: [\"ssh-ed25519 "))
        #expect(result.output.contains("8 gateways: 8 with changes, 0 failed"), "the offline fleet plan")
        #expect(FileManager.default.fileExists(atPath: work + "/render/ffnord-vpn20/etc/fastd/ffnord/fastd.conf"))

        let keys = try String(contentsOfFile: work + "/keys.txt", encoding: .utf8).split(separator: "\n")
        #expect(keys.count == 8)
        let firmware = try String(contentsOfFile: work + "/firmware/site.conf", encoding: .utf8)
        for line in keys {
            let key = String(line.split(separator: " ")[2])
            #expect(firmware.contains("key = '\(key)'"), "the exported firmware lacks \(line.split(separator: " ")[0])'s new key")
        }
        // Export then check agree; the community's firmware in the field does not know the new keys yet.
        #expect(result.output.contains("The gateways and the firmware agree."))
        #expect(result.output.contains("the firmware in the field: exit 2"))
    }
}
