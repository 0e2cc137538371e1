import Foundation
import Testing
@testable import GatewayKit

/// The rendered nets on real tincd 1.0, in two namespaces: keys from apply's own step, the two taps exchange packets,
/// tinc-up joins each tap to batman-adv with the rendered MAC and MTU, and a gateway the site holds no key for is
/// refused by the others.
@Suite(.serialized) struct TincBackboneNamespaceTests {
    /// The fixture site with the keys the testbed made for gwa and gw-b, at the testbed's addresses.
    func yaml(gwaKey: String, gwbKey: String) -> String {
        BackboneFixture.yaml(gwaKey: gwaKey).replacingOccurrences(of: TincKeyFixtures.gatewayB, with: gwbKey)
    }

    @Test func theKeyStepMakesAPrivateKeyThatNeverLeavesAndKeepsItOnTheNextRun() throws {
        let bed = try TincTestbed()
        let first = try bed.makeKey("gw")
        #expect(TincPublicKey(first.publicKey)?.bits == TincKeyFunctions.bits)
        let attributes = try FileManager.default.attributesOfItem(atPath: first.privatePath)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect((try FileManager.default.attributesOfItem(atPath: bed.folder.path + "/gw.pub")[.posixPermissions] as? Int) == 0o644)
        let privateKey = bed.text("gw.priv")
        #expect(privateKey.contains("-----BEGIN RSA PRIVATE KEY-----"))
        #expect(try bed.makeKey("gw").publicKey == first.publicKey, "a second run keeps the key")
        #expect(bed.text("gw.priv") == privateKey)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: bed.folder.path).filter { $0.hasPrefix(".gwsetup-key") }
        #expect(leftovers.isEmpty, "the scratch folder of tincd -K is gone")
        // Half a key (a run killed between the two moves) is made again whole.
        try FileManager.default.removeItem(atPath: bed.folder.path + "/gw.pub")
        #expect(try bed.makeKey("gw").publicKey != first.publicKey)
    }

    @Test func twoGatewaysMeshTheirTapsAndJoinThemToBatman() throws {
        let bed = try TincTestbed()
        let a = try bed.makeKey("gwa"), b = try bed.makeKey("gwb")
        let yaml = yaml(gwaKey: a.publicKey, gwbKey: b.publicKey)
        let gwa = try BackboneFixture.desired("gwa", yaml), gwb = try BackboneFixture.desired("gw-b", yaml)
        try bed.start(try bed.install(gwa, net: "north", as: "net-a", privateKey: a.privatePath), in: 0, as: "gwa")
        try bed.start(try bed.install(gwb, net: "north", as: "net-b", privateKey: b.privatePath), in: 1, as: "gwb")
        for index in 0...1 {
            let up = try bed.wait(seconds: 10) { try bed.exec(index, "ip link show dev tnc-north").output.contains(",UP") }
            try #require(up, "tnc-north is not up in namespace \(index): \(bed.text(index == 0 ? "gwa.log" : "gwb.log"))")
        }
        // What tinc-up did: the fixed MAC and the mesh MTU on the tap, and the tap into bat-north.
        let link = try bed.exec(0, "ip link show dev tnc-north").output
        #expect(link.contains("mtu 1312") && link.contains("link/ether \(Site.stableMAC(site: "ffx", gateway: "gwa", domain: "tinc/north"))"), "\(link)")
        #expect(bed.text("gwa.batctl") == "meshif bat-north interface add tnc-north\n")
        #expect(bed.text("gwb.batctl") == "meshif bat-north interface add tnc-north\n")
        // Addresses for this test only (on a gateway the tap carries batman-adv, not IP).
        #expect(try bed.exec(0, "ip addr add 10.77.0.1/24 dev tnc-north").status == 0)
        #expect(try bed.exec(1, "ip addr add 10.77.0.2/24 dev tnc-north").status == 0)
        let pinged = try bed.wait(seconds: 20) { try bed.exec(0, "ping -c 1 -W 1 10.77.0.2").status == 0 }
        #expect(pinged, "no answer across the backbone:\n\(bed.text("gwa.log"))\n\(bed.text("gwb.log"))")
        #expect(try bed.exec(1, "ping -c 1 -W 1 10.77.0.1").status == 0)
        #expect(bed.text("gwa.log").contains("Connection with gw_b"), "\(bed.text("gwa.log"))")
    }

    @Test func aGatewayWhoseKeyTheSiteDoesNotHoldIsRefused() throws {
        let bed = try TincTestbed()
        let a = try bed.makeKey("gwa"), c = try bed.makeKey("gwc")
        // gwc's own key exists (its apply made it) but nobody put it in the site yet.
        let yaml = BackboneFixture.yaml(gwaKey: a.publicKey)
        let gwa = try BackboneFixture.desired("gwa", yaml), gwc = try BackboneFixture.desired("gwc", yaml)
        #expect(gwa.file("/etc/tinc/north/hosts/gwc") == nil)
        #expect(try #require(gwc.file("/etc/tinc/north/tinc.conf")).content.contains("ConnectTo = gwa\n"))
        try bed.start(try bed.install(gwa, net: "north", as: "net-a", privateKey: a.privatePath), in: 0, as: "gwa")
        try bed.start(try bed.install(gwc, net: "north", as: "net-c", privateKey: c.privatePath), in: 1, as: "gwc")
        let tried = bed.wait(seconds: 15) { bed.text("gwa.log").contains("gwc") }
        try #require(tried, "gwc never reached gwa:\n\(bed.text("gwc.log"))")
        for index in 0...1 { _ = try bed.wait(seconds: 10) { try bed.exec(index, "ip link show dev tnc-north").output.contains(",UP") } }
        #expect(try bed.exec(0, "ip addr add 10.77.0.1/24 dev tnc-north").status == 0)
        #expect(try bed.exec(1, "ip addr add 10.77.0.3/24 dev tnc-north").status == 0)
        let pinged = try bed.wait(seconds: 6) { try bed.exec(1, "ping -c 1 -W 1 10.77.0.1").status == 0 }
        #expect(!pinged, "gwc reached gwa without a host file:\n\(bed.text("gwa.log"))")
        #expect(!bed.text("gwa.log").contains("Connection with gwc"), "\(bed.text("gwa.log"))")
        #expect(bed.text("gwa.log").contains("unknown identity"), "\(bed.text("gwa.log"))")
    }
}
