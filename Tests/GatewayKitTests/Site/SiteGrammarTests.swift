import Foundation
import Testing
@testable import GatewayKit

/// The grammars a hostile or careless value meets at load; the corpus in Tests/hostile/site.tsv covers the refusals
/// through the binary, these check what must still load and the edges between.
@Suite struct SiteGrammarTests {
    private func site(uplink: String = "eth0", ssh: String = "local", admin: String = "alice", key: String = "ssh-ed25519 \(SiteAccessCheckTests.ed25519)",
                      timezone: String = "Etc/UTC", allowFrom: String = "[0.0.0.0/0, \"::/0\"]") -> String {
        """
        site: {code: ffx, timezone: \(timezone)}
        domains:
          - code: ffx
            prefix4: 10.99.0.0/16
            prefix6: fd99::/64
        access:
          admins: [{name: "\(admin)", keys: ["\(key)"]}]
          ssh_allow_from: \(allowFrom)
        gateways:
          - name: gw1
            ssh: "\(ssh)"
            uplink: "\(uplink)"
            addresses:
              ffx: {ipv4: 10.99.0.1, ipv6: "fd99::1"}

        """
    }

    private func loads(_ yaml: String) -> Bool { (try? SiteLoader.load(yaml: yaml, file: "site.yaml")) != nil }

    @Test func ordinaryInterfaceNamesLoad() {
        for uplink in ["eth0", "ens3", "enp0s31f6", "eth0.100", "wan_1", "br-wan", "enx00e04c680123"] {
            #expect(loads(site(uplink: uplink)), "\(uplink)")
        }
        for uplink in ["+", "eth+", "lo", "..", "bat-ffx", "vpn-ffx", "br-ffx", "eth0:1", "-eth0", "enx00e04c6801234", "eth 0"] {
            #expect(!loads(site(uplink: uplink)), "\(uplink)")
        }
    }

    @Test func sshTargetsInEveryWrittenFormLoad() throws {
        for ssh in ["local", "gw1.example.org", "admin@gw1.example.org", "root@gw1:2222", "root@192.0.2.1", "deploy@[2001:db8::1]:2222", "2001:db8::1"] {
            #expect(loads(site(ssh: ssh)), "\(ssh)")
        }
        let loaded = try SiteLoader.load(yaml: site(ssh: "deploy@[2001:db8::1]:2222"), file: "site.yaml")
        #expect(loaded.site.gateways[0].connection == .ssh(user: "deploy", host: "2001:db8::1", port: 2222))
        for ssh in ["-oProxyCommand=x", "root@-x", "-l@gw1", "root@gw1 -p 22", "root@gw1:0", "Root@gw1", "root@$(id)", "root@gw1:+22"] {
            #expect(!loads(site(ssh: ssh)), "\(ssh)")
        }
    }

    @Test func adminNamesFollowLinuxRulesAndSkipSystemAccounts() {
        for name in ["alice", "bob-2", "_ops", "a"] { #expect(loads(site(admin: name)), "\(name)") }
        for name in ["root", "sshd", "_apt", "dnsmasq", "unbound", "_chrony", "radvd", "messagebus", "systemd-network", "nobody", "www-data",
                     "Alice", "1alice", "alice$", String(repeating: "a", count: 33)] {
            #expect(!loads(site(admin: name)), "\(name)")
        }
    }

    @Test func timezonesAreTzDatabaseNames() {
        for zone in ["Europe/Berlin", "Etc/UTC", "UTC", "America/Argentina/Buenos_Aires", "US/Eastern"] { #expect(loads(site(timezone: zone)), "\(zone)") }
        for zone in ["Europe/Nowhere", "../../etc/passwd", "europe/berlin", "Europe/Berlin/"] { #expect(!loads(site(timezone: zone)), "\(zone)") }
    }

    @Test func sshAllowFromKeepsAnyoneButRefusesSpecialRanges() {
        #expect(loads(site(allowFrom: "[0.0.0.0/0, \"::/0\", 192.0.2.0/24, \"2001:db8::/32\"]")))
        for source in ["127.0.0.0/8", "127.0.0.1/32", "224.0.0.0/4", "169.254.0.0/16", "\"fe80::/10\"", "\"ff02::1/128\"", "\"::ffff:0:0/96\"", "\"::1/128\""] {
            #expect(!loads(site(allowFrom: "[\(source)]")), "\(source)")
        }
    }

    /// Keys made by the real ssh-keygen load; a 1024-bit RSA key, which OpenSSH itself refuses, does not.
    @Test func keysFromSSHKeygenLoad() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gwsetup-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (type, bits, accepted) in [("ed25519", 0, true), ("rsa", 2048, true), ("rsa", 3072, true), ("ecdsa", 256, true), ("ecdsa", 384, true),
                                       ("ecdsa", 521, true), ("rsa", 1024, false)] {
            let file = folder.appendingPathComponent("\(type)\(bits)").path
            let keygen = Process()
            keygen.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-keygen")
            keygen.arguments = ["-q", "-t", type, "-N", "", "-C", "alice@laptop", "-f", file] + (bits > 0 ? ["-b", "\(bits)"] : [])
            try keygen.run()
            keygen.waitUntilExit()
            let line = try String(contentsOfFile: file + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect((SSHPublicKey(line: line) != nil) == accepted, "\(type) \(bits): \(SSHPublicKey.defect(in: line) ?? "accepted")")
        }
    }

    @Test func securityKeysNeedTheirApplication() {
        func blob(_ parts: [[UInt8]]) -> String {
            Data(parts.flatMap { part in withUnsafeBytes(of: UInt32(part.count).bigEndian, Array.init) + part }).base64EncodedString()
        }
        let type = Array("sk-ssh-ed25519@openssh.com".utf8)
        #expect(SSHPublicKey(line: "sk-ssh-ed25519@openssh.com \(blob([type, Array(repeating: 1, count: 32), Array("ssh:".utf8)])) yubi") != nil)
        #expect(SSHPublicKey(line: "sk-ssh-ed25519@openssh.com \(blob([type, Array(repeating: 1, count: 32)])) yubi") == nil)
    }

    /// The "did you mean" costs length², so a huge unknown key gets none, and it is echoed cut.
    @Test func hugeUnknownKeyIsRefusedWithoutASuggestion() throws {
        let key = String(repeating: "k", count: 1 << 20)
        let yaml = "? \(key)\n: 1\n" + site()
        #expect(throws: SiteErrors.self) { try SiteLoader.load(yaml: yaml, file: "site.yaml") }
        do { _ = try SiteLoader.load(yaml: yaml, file: "site.yaml") } catch let error as SiteErrors {
            let message = error.description
            #expect(message.count < 200 && message.contains("(1048576 bytes)") && !message.contains("did you mean"))
        }
        #expect(Suggestion.closest(to: "gatewys", among: ["gateways", "domains"]) == "gateways")
    }
}
