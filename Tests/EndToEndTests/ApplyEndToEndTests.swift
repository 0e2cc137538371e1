import Foundation
import Testing
@testable import GatewayKit

/// `gwsetup apply` against a real, fresh Debian 12 VM over SSH: the proof that apply makes a gateway.
@Suite(.serialized, .timeLimit(.minutes(80)))
struct ApplyEndToEndTests {
    static let site = GwsetupCLI.fixture("vm-site.yaml")
    static let services = ["gwsetup-firewall.service", "systemd-networkd.service", "fastd@ffx.service", "dnsmasq.service",
                           "unbound.service", "chrony.service", "radvd.service", "fail2ban.service", "ssh.service"]

    @Test("A fresh droplet becomes a gateway with one apply over SSH; plan then finds nothing, a second apply changes and restarts nothing, and a router VM behind NAT joins the mesh and gets DHCP, DNS, NTP and the internet through it")
    func freshDropletBecomesAGateway() async throws {
        try await withVMs([.gateway(name: "gwvm", forwards: [.udp(Self.fastdPort)]), .router(name: "node")]) { vms in
            let vm = vms[0]
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

            let mode = try await vm.run("stat -c %a /etc/fastd/ffx/secret.conf")
            #expect(mode == "600\n", "the fastd secret must be 0600, is \(mode)")
            let secret = try await vm.run("sed -n 's/^secret \"\\([0-9a-f]\\{64\\}\\)\";$/\\1/p' /etc/fastd/ffx/secret.conf")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(secret.count == 64, "no 64-digit fastd secret in secret.conf")
            // Decided outside #expect, whose failure report would print the secret it compared.
            let leaked = first.output.contains(secret) || first.output.contains(String(secret.prefix(16)))
            #expect(!leaked, "the fastd secret left the gateway in gwsetup's output")
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

            // A community router behind its own NAT joins over fastd, as a home router does.
            let router = MeshRouter(vm: vms[1])
            try await router.join(gatewayKey: publicKey.trimmingCharacters(in: .whitespacesAndNewlines), port: Self.fastdPort,
                                  method: "salsa2012+umac", mtu: 1312)
            _ = try await router.waitForGateway()
            // Each step of the client's lease checked on its own: the lease, its address and route, and its options.
            let lease = try await router.client("dhclient -1 -v -lf /run/dhclient-client.leases veth-c")
            try #require(lease.succeeded, "dhclient in the client namespace: \(lease.stdoutText) \(lease.stderrText)")
            let address = try await router.client("ip -4 -o addr show veth-c")
            #expect(address.succeeded && address.stdoutText.contains("inet 10.99."), "no lease from the gateway's range: \(address.stdoutText)")
            let route = try await router.client("ip route show default")
            #expect(route.succeeded && route.stdoutText.hasPrefix("default via 10.99.0.1 "), "the lease does not route through the gateway: \(route.stdoutText)")
            let options = try await router.client("cat /run/dhclient-client.leases")
            let resolver = Self.leaseOption("domain-name-servers", in: options.stdoutText)
            #expect(resolver == "10.99.0.1", "the lease's DNS option: \(options.stdoutText)")
            #expect(Self.leaseOption("ntp-servers", in: options.stdoutText) == "10.99.0.1", "the lease's NTP option: \(options.stdoutText)")
            // The client asks the resolver its lease named, as its stub resolver would.
            let name = try await router.client("dig +short +time=5 +tries=3 @\(resolver ?? "none") nextnode.ffx.example")
            #expect(name.succeeded && name.stdoutText == "10.99.0.1\n", "the gateway's resolver: \(name.stdoutText) \(name.stderrText)")

            let time = try await router.client("chronyd -Q -t 60 'server 10.99.0.1 iburst maxsamples 1' 2>&1")
            // `chronyd -Q` measures the offset against the server and reports it without touching the clock.
            #expect(time.succeeded && time.stdoutText.contains("System clock wrong by"), "NTP from the gateway: \(time.stdoutText) \(time.stderrText)")
            try await withHostHTTPServer(files: ["/through-the-mesh.txt": Data("hello from the internet\n".utf8)]) { server in
                let page = try await router.client("curl -sS --max-time 60 \(server.urlFromGuest("/through-the-mesh.txt"))")
                #expect(page.stdoutText == "hello from the internet\n", "HTTP through the gateway's NAT: \(page.stdoutText) \(page.stderrText)")
            }
            // The packet counter of the gateway's masquerade rule for the client prefix: the page came through its NAT.
            let natted = try await vm.run("iptables -t nat -L POSTROUTING -v -x -n | awk '/MASQUERADE|SNAT/ && /10.99.0.0\\/16/ { n += $1 } END { print n + 0 }'")
            #expect((Int(natted.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0, "no client traffic went through the gateway's NAT: \(natted)")

            // IPv6: the router advertisement gives the client a SLAAC address in the domain's prefix and the gateway as
            // its DNS server, and the gateway's bridge address answers. rdisc6's solicitation brings the RA at once, and the
            // client's kernel configures its address from that same advertisement.
            let advert = try await router.client("rdisc6 -1 -w 3000 -r 5 veth-c")
            #expect(advert.succeeded && advert.stdoutText.contains("fd99:1234:5678::/64")
                    && advert.stdoutText.range(of: #"Recursive DNS server\s*:\s*fd99:1234:5678::1\n"#, options: .regularExpression) != nil,
                    "the RA's prefix and RDNSS: \(advert.stdoutText) \(advert.stderrText)")
            let slaac = try await router.poll("ip -6 -o addr show dev veth-c scope global",
                                              until: { $0.contains("inet6 fd99:1234:5678:0:") && !$0.contains("tentative") })
            #expect(slaac.contains("inet6 fd99:1234:5678:0:") && !slaac.contains("tentative"), "no SLAAC address in fd99:1234:5678::/64: \(slaac)")
            let ping6 = try await router.client("ping -6 -c 3 -W 5 fd99:1234:5678::1")
            #expect(ping6.succeeded, "IPv6 ping to the gateway's bridge address: \(ping6.stdoutText) \(ping6.stderrText)")
        }
    }

    /// The value of `option NAME` in the last lease of a dhclient lease file, e.g. `domain-name-servers`.
    static func leaseOption(_ name: String, in leases: String) -> String? {
        guard let line = leases.split(separator: "\n").last(where: { $0.contains("option \(name) ") }) else { return nil }
        return line.split(separator: " ").last.map { String($0.dropLast()) }
    }

    /// The fixture's fastd port, forwarded from the host into the gateway VM like a droplet's public port.
    static let fastdPort = 10000

    /// Each service's main PID and last start time: a restart or reload-by-restart changes them.
    static var startTimesCommand: String {
        "systemctl show -p Id -p MainPID -p ActiveEnterTimestampMonotonic -p ExecMainStartTimestampMonotonic \(services.joined(separator: " "))"
    }
}

/// The unhappy paths on a real gateway: a config its daemon rejects, and gwsetup killed in the middle of an apply.
/// Both start from the converged gateway: what they test is what an apply does to a gateway that already runs.
@Suite(.serialized, .timeLimit(.minutes(80)))
struct ApplyFailureEndToEndTests {
    @Test("A config its daemon rejects stops apply before it goes live; an apply killed midway converges on rerun with no half-written file")
    func rejectedConfigAndInterruptedApply() async throws {
        try await withVM(.convergedGateway(name: "gwvm")) { vm in
            let ssh = ["--ssh-config", vm.sshConfigFile]
            let first = try await GwsetupCLI.run(["apply", "--yes", "--site", ApplyEndToEndTests.site] + ssh)
            try #require(first.status == 0, "first apply failed:\n\(first.output)")

            let dnsmasqBefore = try await vm.run("sha256sum /etc/dnsmasq.d/gwsetup.conf; systemctl show -p MainPID dnsmasq")
            let broken = try await GwsetupCLI.run(["apply", "--yes", "--site", GwsetupCLI.fixture("vm-site-broken-dnsmasq.yaml")] + ssh)
            #expect(broken.status == 1)
            #expect(broken.stderr.contains("apply stopped at `file /etc/dnsmasq.d/gwsetup.conf`"), "\(broken.output)")
            #expect(broken.stdout.contains("the daemon's check rejected the new file"), "the daemon's complaint is missing:\n\(broken.output)")
            #expect(try await vm.run("sha256sum /etc/dnsmasq.d/gwsetup.conf; systemctl show -p MainPID dnsmasq") == dnsmasqBefore,
                    "the rejected config went live or dnsmasq was restarted")
            #expect(try await vm.run("systemctl is-active dnsmasq") == "active\n")

            let changedSite = GwsetupCLI.fixture("vm-site-changed.yaml")
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("gwsetup-killed-\(UUID().uuidString).log").path
            _ = FileManager.default.createFile(atPath: log, contents: nil)
            defer { try? FileManager.default.removeItem(atPath: log) }
            let killed = Process()
            killed.executableURL = URL(fileURLWithPath: GwsetupCLI.binary)
            killed.arguments = ["apply", "--yes", "--site", changedSite] + ssh
            killed.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
            killed.standardError = FileHandle.nullDevice
            try killed.run()
            var applying = false
            for _ in 0..<600 where !applying && killed.isRunning {
                applying = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("Applying")
                try await Task.sleep(for: .milliseconds(200))
            }
            try #require(applying, "gwsetup never started applying: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
            try await Task.sleep(for: .seconds(3))
            kill(killed.processIdentifier, SIGKILL)
            while killed.isRunning { try await Task.sleep(for: .milliseconds(50)) }

            // The gateway notices at its next progress line; until then it still holds the lock, as a rerun would be told.
            var free = false
            for _ in 0..<300 where !free {
                free = try await vm.ssh("flock -n /run/gwsetup.lock true").succeeded
                if !free { try await Task.sleep(for: .seconds(1)) }
            }
            try #require(free, "the killed apply's script never let go of the lock")
            #expect(try await vm.ssh("test -f /var/lib/gwsetup/pending-triggers").succeeded,
                    "the killed apply finished anyway (no restarts left owed), so nothing was interrupted")

            let rerun = try await GwsetupCLI.run(["apply", "--yes", "--site", changedSite] + ssh)
            #expect(rerun.status == 0, "rerun after the kill failed:\n\(rerun.output)")
            #expect(rerun.stdout.contains("restart dnsmasq.service"), "the restart the killed run owed was lost:\n\(rerun.output)")
            let plan = try await GwsetupCLI.run(["plan", "--detailed-exitcode", "--site", changedSite] + ssh)
            #expect(plan.status == 0, "not converged after the rerun:\n\(plan.output)")
            #expect(try await vm.run("find /etc /home /var/lib/gwsetup -name '.gwsetup.*'") == "", "a half-written candidate was left behind")
            #expect(try await vm.run("test ! -e /usr/sbin/policy-rc.d && echo gone") == "gone\n")
            let active = try await vm.ssh("systemctl is-active \(ApplyEndToEndTests.services.joined(separator: " "))")
            #expect(active.stdoutText == String(repeating: "active\n", count: ApplyEndToEndTests.services.count), "\(active.stdoutText)")
        }
    }
}
