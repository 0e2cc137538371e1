import Foundation
import Testing
@testable import GatewayKit

/// `gwsetup apply` against a real, fresh Debian 12 VM over SSH: the proof that apply makes a gateway.
@Suite(.serialized, .timeLimit(.minutes(45)))
struct ApplyEndToEndTests {
    static let site = GwsetupCLI.fixture("vm-site.yaml")
    static let services = ["gwsetup-firewall.service", "systemd-networkd.service", "fastd@ffx.service", "dnsmasq.service",
                           "unbound.service", "chrony.service", "radvd.service", "fail2ban.service", "ssh.service"]

    @Test("A fresh droplet becomes a gateway with one apply over SSH; then plan finds nothing and a second apply changes and restarts nothing")
    func freshDropletBecomesAGateway() async throws {
        try await withVM(.gateway(name: "gwvm")) { vm in
            let connection = ["--site", Self.site, "--ssh-config", vm.sshConfigFile]
            let first = try await GwsetupCLI.run(["apply", "--yes"] + connection)
            try #require(first.status == 0, "first apply failed:\n\(first.output)")

            let active = try await vm.ssh("systemctl is-active \(Self.services.joined(separator: " "))")
            #expect(active.stdoutText == String(repeating: "active\n", count: Self.services.count),
                    "not all active:\n\(zip(Self.services, active.stdoutText.split(separator: "\n")).map { "\($0) \($1)" }.joined(separator: "\n"))")
            let gatewayMode = try await vm.run("batctl meshif bat-ffx gw_mode")
            #expect(gatewayMode.hasPrefix("server (announced bw: 100.0/100.0 MBit)"), "batman gw_mode: \(gatewayMode)")
            let bridge = try await vm.run("ip -br addr show br-ffx; ip -br link show master br-ffx")
            #expect(bridge.contains("10.99.0.1/16") && bridge.contains("fd99:1234:5678::1/64") && bridge.contains("bat-ffx"), "bridge: \(bridge)")
            let rules4 = try await vm.run("iptables -S; iptables -t nat -S POSTROUTING")
            let rules6 = try await vm.run("ip6tables -S")
            for rules in [rules4, rules6] {
                #expect(rules.contains("-P INPUT DROP") && rules.contains("-A INPUT -i br-ffx -j gw-mesh-in")
                        && rules.contains("-A INPUT -i eth0 -j gw-wan-in"), "rules not loaded: \(rules)")
            }
            #expect(rules4.contains("-A POSTROUTING -s 10.99.0.0/16 -o eth0"), "no NAT of the mesh on the uplink: \(rules4)")
            #expect(try await vm.run("sysctl -n net.ipv4.ip_forward net.ipv6.conf.all.forwarding") == "1\n1\n")

            let secret = try await vm.run("stat -c %a /etc/fastd/ffx/secret.conf; cut -d'\"' -f2 /etc/fastd/ffx/secret.conf")
            let secretLines = secret.split(separator: "\n")
            #expect(secretLines.first == "600", "the fastd secret must be 0600")
            #expect(!first.output.contains(String(secretLines.last ?? "none")), "the fastd secret left the gateway in gwsetup's output")
            let publicKey = try await vm.run("fastd --config /etc/fastd/ffx/secret.conf --show-key --machine-readable")
            #expect(first.stdout.contains("fastd public key of gw1/ffx: \(publicKey.trimmingCharacters(in: .whitespacesAndNewlines))"))

            let plan = try await GwsetupCLI.run(["plan", "--detailed-exitcode"] + connection)
            #expect(plan.status == 0, "plan after apply is not empty:\n\(plan.output)")

            let before = try await vm.run(Self.startTimesCommand)
            let second = try await GwsetupCLI.run(["apply", "--yes"] + connection)
            #expect(second.status == 0, "second apply failed:\n\(second.output)")
            #expect(second.stdout.contains("No changes. gw1 matches the site."), "\(second.output)")
            #expect(second.stdout.contains("ssh: 1 connection, 1 round trip"), "\(second.output)")
            #expect(try await vm.run(Self.startTimesCommand) == before, "the second apply restarted something")
        }
    }

    /// Each service's main PID and last start time: a restart or reload-by-restart changes them.
    static var startTimesCommand: String {
        "systemctl show -p Id -p MainPID -p ActiveEnterTimestampMonotonic -p ExecMainStartTimestampMonotonic \(services.joined(separator: " "))"
    }
}
