import Foundation
import Testing
@testable import GatewayKit

/// Every rendered config goes through its own daemon's checker, exactly as apply runs it on the gateway.
@Suite(.serialized) struct DaemonValidationTests {
    static let cases: [(String, String)] = [
        ("single-gateway.yaml", "gw1"), ("two-domains.yaml", "gw1"), ("two-domains.yaml", "gw2"),
        // Two fastd instances per gateway, gw2 on its own port: each instance's config, with the shared key, passes fastd.
        ("fastd-instances.yaml", "gw1"), ("fastd-instances.yaml", "gw2"),
        // Multi-TAP with the L2TP offload (fastd refuses `offload l2tp` outside multitap or with persistent interfaces),
        // two instances, gw2 on its own port, beside a TAP domain.
        ("l2tp-offload.yaml", "gw1"), ("l2tp-offload.yaml", "gw2"),
    ]

    @Test(arguments: cases)
    func everyRenderedFileWithAValidatorPassesIt(_ example: String, _ gateway: String) throws {
        let desired = try desiredState(example: example, gateway: gateway)
        let root = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try RenderTree.write(desired, to: root)
        let namespace = "gwtest-\(UInt32.random(in: 0...UInt32.max))"
        #expect(try Shell.run("ip netns add \(namespace)").status == 0)
        defer { _ = try? Shell.run("ip netns delete \(namespace)") }
        for key in desired.fastdKeys {
            let secret = try Shell.run("fastd --generate-key --machine-readable")
            try #require(secret.status == 0, "fastd --generate-key failed: \(secret.output)")
            try "secret \"\(secret.output.trimmingCharacters(in: .whitespacesAndNewlines))\";\n"
                .write(toFile: root + key.secretPath, atomically: true, encoding: .utf8)
        }
        var checked = 0
        for file in desired.files {
            guard let validator = file.validator else { continue }
            // The accounts do not exist on the test machine; ownership is apply's business, content is checked here.
            let wrapped = file.path.contains("iptables") || validator.contains("tables-restore") ? "ip netns exec \(namespace) sh -c '\(validator.replacingOccurrences(of: "'", with: "'\\''"))'" : validator
            let result = try Shell.run(wrapped, environment: ["FILE": root + file.path, "NAME": (file.path as NSString).lastPathComponent])
            #expect(result.status == 0, "\(file.path) rejected by its validator:\n\(result.output)")
            checked += 1
        }
        #expect(checked >= 11)
    }

    /// The offload lines are what fastd demands, no more: the rendered file passes, and without either multi-TAP line it
    /// is refused for that reason (so the pass above is fastd's word on the offload, not an option it skipped).
    @Test func fastdHoldsTheOffloadToMultiTAPWithoutPersistentInterfaces() throws {
        let desired = try desiredState(example: "l2tp-offload.yaml", gateway: "gw1")
        let root = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let file = try #require(desired.file("/etc/fastd/ffl/fastd.conf"))
        let secret = try Shell.run("fastd --generate-key --machine-readable")
        try "secret \"\(secret.output.trimmingCharacters(in: .whitespacesAndNewlines))\";\n".write(toFile: root + "/secret.conf", atomically: true, encoding: .utf8)
        let variants = [
            (file.content, nil),
            (file.content.replacingOccurrences(of: "mode multitap;\n", with: "mode tap;\n"), "L2TP offload is available in multi-TAP mode only"),
            (file.content.replacingOccurrences(of: "persist interface no;\n", with: ""), "`persist iface' must be set to `no' for L2TP offload"),
        ]
        for (content, complaint) in variants {
            #expect(content != file.content || complaint == nil)
            try content.write(toFile: root + "/fastd.conf", atomically: true, encoding: .utf8)
            let result = try Shell.run(try #require(file.validator), environment: ["FILE": root + "/fastd.conf"])
            if let complaint {
                #expect(result.status != 0 && result.output.contains(complaint), "\(result.output)")
            } else {
                #expect(result.status == 0, "\(result.output)")
            }
        }
    }

    @Test func validatorsRejectBrokenConfigs() throws {
        let desired = try desiredState(example: "single-gateway.yaml", gateway: "gw1")
        let root = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let namespace = "gwtest-\(UInt32.random(in: 0...UInt32.max))"
        try #require(try Shell.run("ip netns add \(namespace)").status == 0, "the iptables validators need their own namespace")
        defer { _ = try? Shell.run("ip netns delete \(namespace)") }
        let breakages: [String: String] = [
            "/etc/dnsmasq.d/gwsetup.conf": "dhcp-range=set:ffx,10.99.1.0\n",
            "/etc/unbound/unbound.conf.d/gwsetup.conf": "server:\n    interface: 10.99.0.1\n    no-such-option: yes\n",
            "/etc/chrony/chrony.conf": "allow 10.99.0.0/16x\n",
            "/etc/radvd.conf": "interface br-ffx { AdvSendAdvert on; prefix fd99::/64 { AdvOnLink yes; };\n",
            "/etc/ssh/sshd_config.d/gwsetup.conf": "PasswordAuthentication maybe\n",
            "/etc/fail2ban/jail.d/gwsetup.local": "[sshd]\nenabled = true\nfilter = no-such-filter\nbackend = systemd\n",
            "/etc/gwsetup/firewall/rules.v4": "*filter\n-A INPUT -p tcp --dport 22 -j ACCEPT\n",
            "/etc/sudoers.d/gwsetup-admins": "alice ALL=(ALL NOPASSWD: ALL\n",
            "/etc/systemd/system/gwsetup-firewall.service": "[Service]\nType=oneshot\nExecStart=relative/path\n",
        ]
        // What each daemon's own check says of its broken file: a rejection for that reason, not any non-zero exit.
        let complaints: [String: String] = [
            "/etc/dnsmasq.d/gwsetup.conf": "bad dhcp-range at line 1",
            "/etc/unbound/unbound.conf.d/gwsetup.conf": "error: unknown keyword 'no-such-option'",
            "/etc/chrony/chrony.conf": "Could not parse allow directive at line 1",
            "/etc/radvd.conf": ":1 error: syntax error",
            "/etc/ssh/sshd_config.d/gwsetup.conf": "line 1: unsupported option \"maybe\"",
            "/etc/fail2ban/jail.d/gwsetup.local": "Unable to read the filter 'no-such-filter'",
            "/etc/gwsetup/firewall/rules.v4": "COMMIT expected at line 3",
            "/etc/sudoers.d/gwsetup-admins": "syntax error",
            "/etc/systemd/system/gwsetup-firewall.service": "Neither a valid executable name nor an absolute path: relative/path",
        ]
        #expect(Set(complaints.keys) == Set(breakages.keys))
        for (path, broken) in breakages {
            let file = try #require(desired.file(path))
            let target = root + "/" + (path as NSString).lastPathComponent
            try broken.write(toFile: target, atomically: true, encoding: .utf8)
            let validator = try #require(file.validator)
            let wrapped = validator.contains("tables-restore") ? "ip netns exec \(namespace) sh -c '\(validator.replacingOccurrences(of: "'", with: "'\\''"))'" : validator
            let result = try Shell.run(wrapped, environment: ["FILE": target, "NAME": (path as NSString).lastPathComponent])
            #expect(result.status != 0 && result.status != 127, "\(path): validator accepted a broken file (or is missing): \(result.output)")
            #expect(result.output.contains(complaints[path] ?? "?"), "\(path): the validator's complaint is not the expected one: \(result.output)")
        }
    }
}
