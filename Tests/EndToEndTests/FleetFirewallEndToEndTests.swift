import Foundation
import Testing
@testable import GatewayKit
@testable import GatewayBase

/// A two-gateway, two-domain community applied in parallel to two fresh VMs, joined by a router in both domains;
/// then the firewall proven on the live boxes: verify holds, a rule broken by hand is named, an SSH lockout rolls itself back, and a reboot keeps the rules.
@Suite(.serialized, .timeLimit(.minutes(45)))
struct FleetFirewallEndToEndTests {
    static let site = GwsetupCLI.fixture("vm-fleet-site.yaml")

    @Test("Two gateways converge in one parallel apply; a router in both domains gets each lease from the right gateway's range; verify holds live, names a broken rule, an SSH lockout is rolled back by the gateway's timer, and the rules survive a reboot")
    func fleetApplyAndSafeFirewall() async throws {
        try await withVMs([.gateway(name: "gwa", forwards: [.udp(10001)]), .gateway(name: "gwb", forwards: [.udp(10002)]),
                           .router(name: "twonode")]) { vms in
            let (gwa, gwb) = (vms[0], vms[1])
            // One ssh config for both, as an admin's ~/.ssh/config would hold them.
            let config = gwa.workDirectory + "/fleet_ssh_config"
            try (try String(contentsOfFile: gwa.sshConfigFile, encoding: .utf8) + "\n" + String(contentsOfFile: gwb.sshConfigFile, encoding: .utf8))
                .write(toFile: config, atomically: true, encoding: .utf8)
            let ssh = ["--ssh-config", config]

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
            let rangesA = try await gwa.run("grep -h '^dhcp-range' /etc/dnsmasq.d/*.conf")
            let rangesB = try await gwb.run("grep -h '^dhcp-range' /etc/dnsmasq.d/*.conf")
            #expect(rangesA != rangesB, "two gateways hand out the same DHCP range:\n\(rangesA)")

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

            // 3. Rules that drop SSH: plan refuses them; forced, the new connection cannot confirm, and the timer rolls back.
            let lockoutSite = GwsetupCLI.fixture("vm-fleet-site-lockout.yaml")
            let refused = try await GwsetupCLI.run(["apply", "--yes", "--gateway", "gwa", "--site", lockoutSite] + ssh)
            #expect(refused.status == 1 && refused.stderr.contains("SSH"), "the lockout was not refused:\n\(refused.output)")
            let rulesBefore = try await gwa.run("iptables -S")
            let forced = try await GwsetupCLI.run(["apply", "--yes", "--gateway", "gwa", "--force-firewall",
                                                   "--firewall-rollback-seconds", "40", "--site", lockoutSite] + ssh)
            #expect(forced.status == 1, "\(forced.output)")
            #expect(forced.output.contains("firewall change NOT confirmed"), "\(forced.output)")
            try await Task.sleep(for: .seconds(45))
            var back: CommandResult?
            for _ in 0..<30 {  // the timer fires 40 s after the apply ended; a loaded machine may take longer to let us in
                back = try? await gwa.ssh("iptables -S", timeout: .seconds(60))
                if back?.succeeded == true { break }
                try await Task.sleep(for: .seconds(5))
            }
            #expect(back?.succeeded == true, "SSH did not come back after the rollback")
            #expect(back?.stdoutText == rulesBefore, "the rollback did not restore the previous rules")
            let outcome = try await gwa.run("cat /run/gwsetup/firewall-rollback/*/outcome")
            #expect(outcome.contains("rolled-back"), "\(outcome)")
            let afterRollback = try await GwsetupCLI.run(["verify", "--site", Self.site, "--gateway", "gwa"] + ssh)
            #expect(afterRollback.status == 0, "verify after the rollback:\n\(afterRollback.output)")

            // 4. After a reboot the rules are loaded before the network and verify still holds.
            try await gwb.reboot()
            #expect(try await gwb.run("systemctl is-active gwsetup-firewall") == "active\n")
            let afterReboot = try await GwsetupCLI.run(["verify", "--site", Self.site, "--gateway", "gwb"] + ssh)
            #expect(afterReboot.status == 0, "verify after a reboot:\n\(afterReboot.output)")
        }
    }
}
