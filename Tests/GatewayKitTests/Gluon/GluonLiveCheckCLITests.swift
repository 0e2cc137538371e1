import Foundation
import Testing
@testable import GatewayKit
import TestSupport

/// `gwsetup gluon check --live` against a gateway on loopback SSH: the firmware's key against the key the gateway holds.
@Suite(.serialized) struct GluonLiveCheckCLITests {
    @Test func liveCheckReportsAFirmwareKeyTheGatewayDoesNotHoldWithBothValues() async throws {
        // A domain code of its own, so the secret this host's probe reads lies in a folder no one else uses.
        let code = "lv" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let secretFolder = "/etc/fastd/\(code)"
        let folder = try ScratchFolder()
        defer {
            folder.cleanup()
            try? FileManager.default.removeItem(atPath: secretFolder)
        }
        let firmwareKey = try RealFastdKey.generate()
        let other = try RealFastdKey.generate()
        let site = try folder.write("site.yaml", """
            site: {code: ffx}
            domains:
              - code: \(code)
                prefix4: 10.99.0.0/16
                prefix6: fd99::/64
            gateways:
              - name: gw1
                ssh: root@\(SSHServer.alias)
                public_host: gw1.example.org
                addresses:
                  \(code): {ipv4: 10.99.0.1, ipv6: "fd99::1", fastd_public_key: \(firmwareKey.publicKey)}

            """)
        let export = try runGwsetup(["gluon", "export", "--site", site, "--output", folder.path + "/firmware"])
        try #require(export.status == 0, "\(export.error)")
        try FileManager.default.createDirectory(atPath: secretFolder, withIntermediateDirectories: true)
        func check(_ server: SSHServer) throws -> (status: Int32, output: String, error: String) {
            try runGwsetup(["gluon", "check", "--live", "--ssh-config", server.clientConfig, "--site", site, folder.path + "/firmware/site.conf"])
        }
        try await SSHServer.with { server in
            try "secret \"\(firmwareKey.secret)\";\n".write(toFile: secretFolder + "/secret.conf", atomically: true, encoding: .utf8)
            let agree = try check(server)
            #expect(agree.status == 0, "\(agree.output)\(agree.error)")
            #expect(agree.output == "The gateways and the firmware agree.\n")

            try "secret \"\(other.secret)\";\n".write(toFile: secretFolder + "/secret.conf", atomically: true, encoding: .utf8)
            let differ = try check(server)
            #expect(differ.status == 2, "\(differ.output)\(differ.error)")
            let line = try #require(differ.output.split(separator: "\n").first.map(String.init))
            #expect(line.hasPrefix("domain '\(code)', gateway 'gw1': live key: site \(other.publicKey) (ssh root@\(SSHServer.alias)), firmware \(firmwareKey.publicKey) ("),
                    "\(differ.output)")

            try FileManager.default.removeItem(atPath: secretFolder + "/secret.conf")
            let none = try check(server)
            #expect(none.status == 2)
            #expect(none.output.contains("live key: site (none: the gateway has no fastd secret for this domain) (ssh root@\(SSHServer.alias)), firmware \(firmwareKey.publicKey)"),
                    "\(none.output)")
        }
    }
}
