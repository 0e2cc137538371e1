import Foundation
import Testing
@testable import GatewayKit
@testable import GatewayBase

/// A two-gateway, two-domain community applied in parallel to two running gateways (overlays of the converged image,
/// each with its own machine-id and keys), joined by a router in both domains;
/// then the firewall proven on the live boxes: verify holds, a rule broken by hand is named, an SSH lockout rolls itself back, and a reboot keeps the rules.
@Suite(.serialized, .timeLimit(.minutes(80)))
struct FleetFirewallEndToEndTests {
    static let site = GwsetupCLI.fixture("vm-fleet-site.yaml")

    @Test("Two gateways converge in one parallel apply; a router in both domains gets each lease from the right gateway's range; verify holds live, names a broken rule, an SSH lockout is rolled back by the gateway's timer, and the rules survive a reboot")
    func fleetApplyAndSafeFirewall() async throws {
        try await withVMs([.convergedGateway(name: "gwa", forwards: [.udp(10001)]), .convergedGateway(name: "gwb", forwards: [.udp(10002)]),
                           .router(name: "twonode")]) { vms in
            let (gwa, gwb) = (vms[0], vms[1])
            // One ssh config for both, as an admin's ~/.ssh/config would hold them.
            let config = gwa.workDirectory + "/fleet_ssh_config"
            try (try String(contentsOfFile: gwa.sshConfigFile, encoding: .utf8) + "\n" + String(contentsOfFile: gwb.sshConfigFile, encoding: .utf8))
                .write(toFile: config, atomically: true, encoding: .utf8)
            let ssh = ["--ssh-config", config]

            // 0. Two overlays of one converged image are two machines: each runs the machine-id its kernel command line
            // gave it, and has SSH host keys and a fastd secret of its own.
            let identity = "cat /etc/machine-id; sed -n 's/.*systemd.machine_id=\\([0-9a-f]*\\).*/\\1/p' /proc/cmdline; "
                + "ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub; sha256sum /etc/fastd/ffx/secret.conf"
            let (identityA, identityB) = (try await gwa.run(identity).split(separator: "\n"), try await gwb.run(identity).split(separator: "\n"))
            #expect(identityA.count == 4 && identityB.count == 4, "\(identityA) \(identityB)")
            #expect(identityA.first == identityA.dropFirst().first && identityB.first == identityB.dropFirst().first,
                    "the machine-id is not the one on the kernel command line: \(identityA) \(identityB)")
            for (a, b) in zip(identityA, identityB) { #expect(a != b, "gwa and gwb share an identity: \(a)") }

            // 1. Both gateways in parallel, output grouped per gateway, a summary table.
            let apply = try await GwsetupCLI.run(["apply", "--yes", "--parallel", "2", "--site", Self.site] + ssh)
            try #require(apply.status == 0, "fleet apply failed:\n\(apply.output)")
            #expect(apply.stdout.contains("== gwa\n") && apply.stdout.contains("== gwb\n"), "\(apply.stdout)")
            #expect(apply.stdout.contains("2 gateways: 2 with changes, 0 failed"), "\(apply.stdout)")
            for (vm, number) in [(gwa, 1), (gwb, 2)] {
                let bridges = try await vm.run("ip -br addr show br-north; ip -br addr show br-south")
                #expect(bridges.contains("10.60.0.\(number)/16") && bridges.contains("10.61.0.\(number)/16"), "\(vm.name): \(bridges)")
                let fastd = try await vm.run("systemctl is-active fastd@north fastd@south gwsetup-firewall")
                #expect(fastd == "active\nactive\nactive\n", "\(vm.name): \(fastd)")
                // Each gateway serves its own slice of each domain's DHCP range.
                let dhcp = try await vm.run("grep -h '^dhcp-range' /etc/dnsmasq.d/*.conf")
                #expect(dhcp.split(separator: "\n").count == 2, "\(vm.name): \(dhcp)")
            }
            // In each domain the two gateways' ranges, parsed, share no address.
            for domain in ["north", "south"] {
                let command = "grep -h '^dhcp-range=set:\(domain),' /etc/dnsmasq.d/*.conf"
                let (a, b) = (Self.range(try await gwa.run(command)), Self.range(try await gwb.run(command)))
                #expect(a != nil && b != nil, "\(domain): a range of gwa or gwb does not parse")
                if let a, let b { #expect(a.upperBound < b.lowerBound || b.upperBound < a.lowerBound, "\(domain): gwa's \(a) and gwb's \(b) overlap") }
            }

            // A router in both domains: north through gwa, south through gwb; each client gets a lease from the
            // range of the gateway it reached, in the right domain.
            let router = MeshRouter(vm: vms[2])
            for (domain, gateway, port, algorithm, prefix) in [("north", "gwa", 10001, "BATMAN_IV", "10.60."), ("south", "gwb", 10002, "BATMAN_V", "10.61.")] {
                let key = try #require(apply.stdout.split(separator: "\n").first { $0.hasPrefix("fastd public key of \(gateway)/\(domain): ") }
                    .map { String($0.split(separator: " ").last!) }, "no public key of \(gateway)/\(domain) in:\n\(apply.stdout)")
                let link = MeshRouter.MeshLink(name: domain, batman: "bat-\(domain)", namespace: "client-\(domain)", routingAlgorithm: algorithm)
                try await router.join(link, gatewayKey: key, port: port, method: "salsa2012+umac", mtu: 1312)
                _ = try await router.waitForGateway(batman: link.batman, fastdUnit: "fastd-\(domain)")
                let lease = try await router.client("dhclient -1 -pf /run/dhclient-\(domain).pid -lf /run/dhclient-\(domain).leases veth-c && ip -4 -o addr show veth-c",
                                                    namespace: link.namespace)
                #expect(lease.succeeded, "dhclient in \(domain): \(lease.stdoutText) \(lease.stderrText)")
                let address = lease.stdoutText.split(separator: " ").first { $0.hasPrefix(prefix) }.map { String($0.split(separator: "/")[0]) } ?? ""
                let vm = gateway == "gwa" ? gwa : gwb
                let range = try await vm.run("grep -h '^dhcp-range=set:\(domain),' /etc/dnsmasq.d/*.conf")
                let bounds = range.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").dropFirst().prefix(2).compactMap { IPv4Address(String($0)) }
                let leased = IPv4Address(address)
                #expect(bounds.count == 2 && leased != nil && bounds[0] <= leased! && leased! <= bounds[1],
                        "\(domain): lease \(address) is not in \(gateway)'s range \(range)")
            }

            let plan = try await GwsetupCLI.run(["plan", "--detailed-exitcode", "--site", Self.site] + ssh)
            #expect(plan.status == 0, "the fleet plan after apply is not empty:\n\(plan.output)")

            // 2. verify on the live rules, then a rule broken by hand on gwa.
            for name in ["gwa", "gwb"] {
                let verify = try await GwsetupCLI.run(["verify", "--site", Self.site, "--gateway", name] + ssh)
                #expect(verify.status == 0, "verify on the converged \(name):\n\(verify.output)")
            }
            _ = try await gwa.run("iptables -D gw-mesh-in -p udp -m udp --dport 53 -m comment --comment dns -j ACCEPT")
            let broken = try await GwsetupCLI.run(["verify", "--site", Self.site, "--gateway", "gwa"] + ssh)
            #expect(broken.status == 2, "\(broken.output)")
            #expect(broken.stdout.contains("FAILS") && broken.stdout.contains("DNS over UDP"), "\(broken.output)")
            _ = try await gwa.run("systemctl reload gwsetup-firewall")
            let repaired = try await GwsetupCLI.run(["verify", "--site", Self.site, "--gateway", "gwa"] + ssh)
            #expect(repaired.status == 0, "\(repaired.output)")

            // 3. Rules that drop SSH: plan refuses them with the reason, and gwa's firewall is untouched by the refusal.
            let lockoutSite = GwsetupCLI.fixture("vm-fleet-site-lockout.yaml")
            let stateBefore = try await gwa.run(Self.firewallState)
            let refused = try await GwsetupCLI.run(["apply", "--yes", "--gateway", "gwa", "--site", lockoutSite] + ssh)
            #expect(refused.status == 1, "the lockout was not refused:\n\(refused.output)")
            #expect(refused.stderr.split(separator: "\n").contains { $0 == Self.lockoutRefusal }, "the refusal's message:\n\(refused.stderr)")
            #expect(try await gwa.run(Self.firewallState) == stateBefore, "the refused apply changed gwa's firewall")

            // Forced, the lockout goes live (a fresh login fails), the new connection cannot confirm, and the gateway's
            // timer restores every table and the boot files exactly.
            let forced = try await GwsetupCLI.run(["apply", "--yes", "--gateway", "gwa", "--force-firewall",
                                                   "--firewall-rollback-seconds", "90", "--site", lockoutSite] + ssh)
            #expect(forced.status == 1, "\(forced.output)")
            #expect(forced.output.contains("firewall change NOT confirmed"), "\(forced.output)")
            let lockedOut = try await gwa.ssh("true", timeout: .seconds(60))
            #expect(!lockedOut.succeeded, "a fresh SSH login got in while the lockout rules were live")
            var back: CommandResult?
            let deadline = ContinuousClock.now.advanced(by: .seconds(600))
            while ContinuousClock.now < deadline {  // the timer fires 90 s after the rules were loaded
                back = try? await gwa.ssh(Self.firewallState, timeout: .seconds(60))
                if back?.succeeded == true { break }
                try await Task.sleep(for: .seconds(5))
            }
            #expect(back?.succeeded == true, "SSH did not come back after the rollback")
            #expect(back?.stdoutText == stateBefore, "the rollback did not restore every table and the boot files")
            let outcome = try await gwa.run("cat /run/gwsetup/firewall-rollback/*/outcome")
            #expect(outcome.contains("rolled-back"), "\(outcome)")
            let afterRollback = try await GwsetupCLI.run(["verify", "--site", Self.site, "--gateway", "gwa"] + ssh)
            #expect(afterRollback.status == 0, "verify after the rollback:\n\(afterRollback.output)")

            // 4. The gateway that rolled back reboots: its rules are loaded before systemd-networkd starts and before the
            // uplink has an address (the units' own timestamps), and verify still holds.
            try await gwa.reboot()
            #expect(try await gwa.run("systemctl is-active gwsetup-firewall") == "active\n")
            let times = try await gwa.run(Self.bootOrderCommand).split(separator: "\n").map { Int($0.trimmingCharacters(in: .whitespaces)) ?? -1 }
            #expect(times.count == 3 && times.allSatisfy { $0 > 0 }, "boot timestamps: \(times)")
            if times.count == 3 {
                #expect(times[0] < times[1], "the firewall was active at \(times[0]) µs, after systemd-networkd started at \(times[1]) µs")
                #expect(times[0] < times[2], "the firewall was active at \(times[0]) µs, after eth0 got its address at \(times[2]) µs")
            }
            let afterReboot = try await GwsetupCLI.run(["verify", "--site", Self.site, "--gateway", "gwa"] + ssh)
            #expect(afterReboot.status == 0, "verify after a reboot:\n\(afterReboot.output)")
        }
    }

    /// Every table's rules (counters and comment lines stripped) for both families, and the boot files' hashes.
    static let firewallState = "iptables-save | sed -e '/^#/d' -e 's/\\[[0-9]*:[0-9]*\\]//'; "
        + "ip6tables-save | sed -e '/^#/d' -e 's/\\[[0-9]*:[0-9]*\\]//'; "
        + "sha256sum /etc/gwsetup/firewall/rules.v4 /etc/gwsetup/firewall/rules.v6"

    /// What `plan` says of vm-fleet-site-lockout.yaml on gwa, whole.
    static let lockoutRefusal = "error: gwa: the proposed firewall would cut off admin SSH: IPv4 uplink eth0: SSH (tcp/22) from "
        + "anywhere is accepted FAILS (/etc/gwsetup/firewall/rules.v4 (rendered):15, /etc/gwsetup/firewall/rules.v4 (rendered):20); "
        + "use --force-firewall to plan it anyway"

    /// Monotonic µs of this boot: the firewall unit becoming active, systemd-networkd starting, eth0's first DHCPv4 address
    /// (networkd's journal line, whose monotonic seconds are turned into µs).
    static let bootOrderCommand = "systemctl show -P ActiveEnterTimestampMonotonic gwsetup-firewall.service; "
        + "systemctl show -P ExecMainStartTimestampMonotonic systemd-networkd.service; "
        + "journalctl -b -o short-monotonic -u systemd-networkd --no-pager | grep -m1 'eth0: DHCPv4 address' "
        + "| sed 's/^\\[ *\\([0-9]*\\)\\.\\([0-9]*\\)\\].*/\\1\\2/'"

    /// A `dhcp-range=set:DOMAIN,FIRST,LAST,…` line's addresses.
    static func range(_ line: String) -> ClosedRange<IPv4Address>? {
        let fields = line.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",")
        guard fields.count >= 3, let first = IPv4Address(String(fields[1])), let last = IPv4Address(String(fields[2])), first <= last else { return nil }
        return first...last
    }
}
