import Foundation
import Testing
@testable import GatewayKit
@testable import GatewayBase

/// A two-gateway, two-domain community applied in parallel to two running gateways (overlays of the converged image,
/// each with its own machine-id and keys), joined by a router in both domains; the gateway agent proven on them
/// (uplink drain, respondd, metrics, maintenance, watchdog); then the firewall proven on the live boxes: verify
/// holds, a rule broken by hand is named, an SSH lockout rolls itself back, and a reboot keeps the rules.
@Suite(.serialized, .timeLimit(.minutes(80)))
struct FleetFirewallEndToEndTests {
    static let site = GwsetupCLI.fixture("vm-fleet-site.yaml")

    @Test("Two gateways converge in one parallel apply; a router sees both in one domain (and reaches south through gwb's second fastd instance) and its client, started on gwa by holding gwb in maintenance, gets a lease from gwa's slice naming it as router, resolver and NTP server, recursion to a zone on the host, time, NAT and IPv6; the client reaches the host over IPv6 through gwa; when gwa's uplink probes fail its agent drains it and the client's lease, web over IPv4 and IPv6 and IPv6 default route move to gwb; respondd and node-exporter answer on the mesh and respondd not on the uplink, maintenance survives the agent's restart, the watchdog replaces a hung agent; verify holds live, names a broken rule, an SSH lockout is rolled back by the gateway's timer, and the rules survive a reboot")
    func fleetApplyAndSafeFirewall() async throws {
        // The agent the site's uplink check, respondd and metrics need, as the Debian package ships it (static).
        let environment = ["GWSETUP_AGENT": try await StaticAgentBuild.path()]
        try await withVMs([.convergedGateway(name: "gwa", forwards: [.udp(10001)]),
                           .convergedGateway(name: "gwb", forwards: [.udp(host: Self.gwbNorthPort, guest: 10001), .udp(10003)]),
                           .router(name: "twonode")]) { vms in
            let (gwa, gwb) = (vms[0], vms[1])
            // One ssh config for both, as an admin's ~/.ssh/config would hold them.
            let config = gwa.workDirectory + "/fleet_ssh_config"
            try (try String(contentsOfFile: gwa.sshConfigFile, encoding: .utf8) + "\n" + String(contentsOfFile: gwb.sshConfigFile, encoding: .utf8))
                .write(toFile: config, atomically: true, encoding: .utf8)
            let ssh = ["--ssh-config", config]
            let gwsetup = { (arguments: [String]) in try await GwsetupCLI.run(arguments + ["--site", Self.site] + ssh, environment: environment) }

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
            let apply = try await gwsetup(["apply", "--yes", "--parallel", "2"])
            try #require(apply.status == 0, "fleet apply failed:\n\(apply.output)")
            #expect(apply.stdout.contains("== gwa\n") && apply.stdout.contains("== gwb\n"), "\(apply.stdout)")
            #expect(apply.stdout.contains("2 gateways: 2 with changes, 0 failed"), "\(apply.stdout)")
            for (vm, number) in [(gwa, 1), (gwb, 2)] {
                let bridges = try await vm.run("ip -br addr show br-north; ip -br addr show br-south")
                #expect(bridges.contains("10.60.0.\(number)/16") && bridges.contains("10.61.0.\(number)/16"), "\(vm.name): \(bridges)")
                let units = "fastd@north fastd@south fastd@south.2 gwsetup-firewall gwsetup-agent prometheus-node-exporter"
                let active = try await vm.ssh("systemctl is-active \(units)").stdoutText
                #expect(active == String(repeating: "active\n", count: 6), "\(vm.name): \(units): \(active)")
                // South's two fastd instances both feed its batman-adv.
                let southInterfaces = try await vm.run("batctl meshif bat-south if")
                #expect(southInterfaces.contains("vpn-south: active") && southInterfaces.contains("vpn2-south: active"), "\(vm.name): \(southInterfaces)")
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

            // A router in both domains: north through both gateways (gwb's north port forwarded from another host port),
            // south through gwb alone.
            let keys = PrintedKeys.keys("fastd", in: apply.stdout)
            #expect(keys.count == 4, "the fleet apply printed \(keys.count) fastd public keys:\n\(apply.stdout)")
            let router = MeshRouter(vm: vms[2])
            let north = MeshRouter.MeshLink(name: "north", batman: "bat-north", namespace: "client-north", routingAlgorithm: "BATMAN_IV")
            let south = MeshRouter.MeshLink(name: "south", batman: "bat-south", namespace: "client-south", routingAlgorithm: "BATMAN_V")
            try await router.join(north, peers: [MeshRouter.Peer(name: "gwa", key: keys["gwa/north"] ?? "", port: 10001),
                                                 MeshRouter.Peer(name: "gwb", key: keys["gwb/north"] ?? "", port: Self.gwbNorthPort)],
                                  method: "salsa2012+umac", mtu: 1312)
            try await router.join(south, peers: [MeshRouter.Peer(name: "gwb", key: keys["gwb/south"] ?? "", port: 10003)],
                                  method: "salsa2012+umac", mtu: 1312)
            let northGateways = try await router.waitForGateways(2, batman: north.batman, fastdUnit: "fastd-north")
            #expect(northGateways.count == 2, "the router sees \(northGateways) in north")
            _ = try await router.waitForGateways(1, batman: south.batman, fastdUnit: "fastd-south")
            // The router's south link reached gwb on 10003, its second fastd instance.
            let southNeighbours = try await gwb.run("batctl meshif bat-south n -H")
            #expect(southNeighbours.contains("vpn2-south") && !southNeighbours.contains("vpn-south "), "gwb's south neighbours: \(southNeighbours)")

            // South: the lease comes from gwb's slice, the only gateway the router reaches there.
            let southLease = try await Self.lease(router, in: south, file: "south")
            #expect(southLease.server == "10.61.0.2", "south's lease came from \(southLease.server ?? "no server")")
            #expect(Self.isIn(southLease.address, range: try await gwb.run(Self.rangeCommand("south"))),
                    "south: lease \(southLease.address ?? "none") is not in gwb's range")

            // North: everything a client is told and given, through the gateway batman-adv chose; then that gateway
            // drains (gw_mode off) and the client's next lease comes from the other one.
            try await withHostDNSZone { zone in
                for vm in [gwa, gwb] {
                    try await vm.write(Data(zone.unboundStub.utf8), to: "/etc/unbound/unbound.conf.d/zz-test-stub.conf")
                    try await vm.run("unbound-checkconf && systemctl restart unbound")
                }
                try await Self.checkClient(of: router, in: north, gateways: [gwa, gwb], run: gwsetup)
            }

            // The agent: respondd and node-exporter as the mesh sees them, maintenance by hand, systemd's watchdog.
            try await Self.respondd(router, north, gateways: [gwa, gwb], keys: keys)
            try await Self.uplinkRespondd(gwa, address: "2001:db8:60:1::1")
            let monitoring = gwa.workDirectory + "/monitoring"
            let rendered = try await GwsetupCLI.run(["monitoring", "--site", Self.site, "--output", monitoring])
            try #require(rendered.status == 0, "gwsetup monitoring:\n\(rendered.output)")
            try await Self.metrics(router, north, gateways: [gwa, gwb], dashboard: monitoring + "/grafana/gwsetup-gateways.json")
            try await Self.usage(gwa)
            try await Self.maintenance(gwb, run: gwsetup)
            try await Self.watchdog(gwb)

            let plan = try await gwsetup(["plan", "--detailed-exitcode"])
            #expect(plan.status == 0, "the fleet plan after apply is not empty:\n\(plan.output)")

            // 2. verify on the live rules, then a rule broken by hand on gwa.
            for name in ["gwa", "gwb"] {
                let verify = try await gwsetup(["verify", "--gateway", name])
                #expect(verify.status == 0, "verify on the converged \(name):\n\(verify.output)")
            }
            _ = try await gwa.run("iptables -D gw-mesh-in -p udp -m udp --dport 53 -m comment --comment dns -j ACCEPT")
            let broken = try await gwsetup(["verify", "--gateway", "gwa"])
            #expect(broken.status == 2, "\(broken.output)")
            #expect(broken.stdout.contains("FAILS") && broken.stdout.contains("DNS over UDP"), "\(broken.output)")
            _ = try await gwa.run("systemctl reload gwsetup-firewall")
            let repaired = try await gwsetup(["verify", "--gateway", "gwa"])
            #expect(repaired.status == 0, "\(repaired.output)")

            // 3. Rules that drop SSH: plan refuses them with the reason, and gwa's firewall is untouched by the refusal.
            let lockoutSite = GwsetupCLI.fixture("vm-fleet-site-lockout.yaml")
            let stateBefore = try await gwa.run(Self.firewallState)
            let refused = try await GwsetupCLI.run(["apply", "--yes", "--gateway", "gwa", "--site", lockoutSite] + ssh, environment: environment)
            #expect(refused.status == 1, "the lockout was not refused:\n\(refused.output)")
            #expect(refused.stderr.split(separator: "\n").contains { $0 == Self.lockoutRefusal }, "the refusal's message:\n\(refused.stderr)")
            #expect(try await gwa.run(Self.firewallState) == stateBefore, "the refused apply changed gwa's firewall")

            // Forced, the lockout goes live (a fresh login fails), the new connection cannot confirm, and the gateway's
            // timer restores every table and the boot files exactly.
            let forced = try await GwsetupCLI.run(["apply", "--yes", "--gateway", "gwa", "--force-firewall",
                                                   "--firewall-rollback-seconds", "90", "--site", lockoutSite] + ssh, environment: environment)
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
            let afterRollback = try await gwsetup(["verify", "--gateway", "gwa"])
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
            let afterReboot = try await gwsetup(["verify", "--gateway", "gwa"])
            #expect(afterReboot.status == 0, "verify after a reboot:\n\(afterReboot.output)")
        }
    }

    /// Every table's rules (counters and comment lines stripped) for both families, and the boot files' hashes.
    static let firewallState = "iptables-save | sed -e '/^#/d' -e 's/\\[[0-9]*:[0-9]*\\]//'; "
        + "ip6tables-save | sed -e '/^#/d' -e 's/\\[[0-9]*:[0-9]*\\]//'; "
        + "sha256sum /etc/gwsetup/firewall/rules.v4 /etc/gwsetup/firewall/rules.v6"

    /// What `plan` says of vm-fleet-site-lockout.yaml on gwa, whole.
    static let lockoutRefusal = "error: gwa: the proposed firewall would cut off admin SSH: IPv4 uplink eth0: SSH (tcp/22) from "
        + "anywhere is accepted FAILS (/etc/gwsetup/firewall/rules.v4 (rendered):15, /etc/gwsetup/firewall/rules.v4 (rendered):22); "
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

    /// The host port that reaches gwb's north fastd (10001 inside, where gwa's is forwarded from 10001 itself).
    static let gwbNorthPort = 10011

    static func rangeCommand(_ domain: String) -> String { "grep -h '^dhcp-range=set:\(domain),' /etc/dnsmasq.d/*.conf" }

    /// Whether `address` lies in the `dhcp-range=` line `range`.
    static func isIn(_ address: String?, range: String) -> Bool {
        guard let address, let leased = IPv4Address(address), let bounds = Self.range(range) else { return false }
        return bounds.contains(leased)
    }

    /// What a client's lease says: its address and the options a client lives by.
    struct Lease {
        var address: String?
        var server: String?
        var router: String?
        var dns: String?
        var ntp: String?
    }

    /// Gets a lease in `link`'s client namespace with its own pid and lease file (`file`), each command's status checked.
    static func lease(_ router: MeshRouter, in link: MeshRouter.MeshLink, file: String) async throws -> Lease {
        let got = try await router.client("dhclient -1 -pf /run/dhclient-\(file).pid -lf /run/dhclient-\(file).leases veth-c", namespace: link.namespace)
        try #require(got.succeeded, "dhclient in \(link.name): \(got.stdoutText) \(got.stderrText)")
        let leases = try await router.client("cat /run/dhclient-\(file).leases", namespace: link.namespace)
        try #require(leases.succeeded, "the lease file in \(link.name): \(leases.stderrText)")
        let text = leases.stdoutText
        let fixed = text.split(separator: "\n").last { $0.contains("fixed-address ") }
            .map { String($0.split(separator: " ").last!.dropLast()) }
        return Lease(address: fixed, server: leaseOption("dhcp-server-identifier", in: text), router: leaseOption("routers", in: text),
                     dns: leaseOption("domain-name-servers", in: text), ntp: leaseOption("ntp-servers", in: text))
    }

    /// The value of `option NAME` in the last lease of a dhclient lease file, e.g. `domain-name-servers`.
    static func leaseOption(_ name: String, in leases: String) -> String? {
        guard let line = leases.split(separator: "\n").last(where: { $0.contains("option \(name) ") }) else { return nil }
        return line.split(separator: " ").last.map { String($0.dropLast()) }
    }

    /// A north client's life through gwa: a lease from gwa's slice naming it as router, resolver and NTP server;
    /// recursion through its unbound to the host's zone; time; the web through its NAT; IPv6 from its router
    /// advertisement. Then gwa's uplink check drains it and the client moves to gwb.
    static func checkClient(of router: MeshRouter, in north: MeshRouter.MeshLink, gateways: [TestVM],
                            run gwsetup: ([String]) async throws -> GwsetupCLI.Result) async throws {
        // The client starts on gwa, the site's high-preference IPv6 router, whichever gateway batman-adv would pick:
        // gwb is in maintenance until the client holds gwa's lease.
        let held = try await gwsetup(["maintenance", "on", "--gateway", "gwb"])
        try #require(held.status == 0, "maintenance on gwb:\n\(held.output)")
        _ = try await router.waitForGateways(1, batman: north.batman, fastdUnit: "fastd-north")
        let first = try await lease(router, in: north, file: "north")
        let released = try await gwsetup(["maintenance", "off", "--gateway", "gwb"])
        try #require(released.status == 0, "maintenance off gwb:\n\(released.output)")
        _ = try await router.waitForGateways(2, batman: north.batman, fastdUnit: "fastd-north")
        let (gateway, other, bridge) = (gateways[0], gateways[1], "10.60.0.1")
        try #require(first.server == bridge, "with gwb in maintenance the lease came from \(first.server ?? "no server"), not gwa")
        #expect(isIn(first.address, range: try await gateway.run(rangeCommand("north"))),
                "north: lease \(first.address ?? "none") is not in \(gateway.name)'s range")
        #expect(first.router == bridge && first.dns == bridge && first.ntp == bridge,
                "the lease's router, DNS and NTP options must name \(gateway.name) (\(bridge)): \(first)")
        let route = try await router.client("ip route show default", namespace: north.namespace)
        #expect(route.succeeded && route.stdoutText.hasPrefix("default via \(bridge) "), "the client's default route: \(route.stdoutText)")

        // The resolver the lease named recurses to the host's authoritative zone.
        let name = try await router.client("dig +time=5 +tries=3 +noall +comments +answer @\(first.dns ?? "none") \(HostDNSZone.name) A",
                                           namespace: north.namespace)
        #expect(name.succeeded && name.stdoutText.contains("status: NOERROR")
                && name.stdoutText.range(of: "\(HostDNSZone.name).\\s+\\d+\\s+IN\\s+A\\s+\(HostDNSZone.address)", options: .regularExpression) != nil,
                "recursion through \(gateway.name)'s resolver: \(name.stdoutText) \(name.stderrText)")
        // `chronyd -Q` measures the offset against the server and reports it without touching the clock.
        let time = try await router.client("chronyd -Q -t 60 'server \(first.ntp ?? "none") iburst maxsamples 1' 2>&1", namespace: north.namespace)
        #expect(time.succeeded && time.stdoutText.contains("System clock wrong by"), "NTP from the lease's server: \(time.stdoutText) \(time.stderrText)")
        try await withHostHTTPServer(files: ["/through-the-mesh.txt": Data("hello from the internet\n".utf8)]) { server in
            let page = try await router.client("curl -sS --max-time 60 \(server.urlFromGuest("/through-the-mesh.txt"))", namespace: north.namespace)
            #expect(page.stdoutText == "hello from the internet\n", "HTTP through the gateway's NAT: \(page.stdoutText) \(page.stderrText)")
        }
        // The packet counter of the serving gateway's masquerade rule for north: the page came through its NAT.
        let natted = try await gateway.run("iptables -t nat -L POSTROUTING -v -x -n | awk '/MASQUERADE|SNAT/ && /10.60.0.0\\/16/ { n += $1 } END { print n + 0 }'")
        #expect((Int(natted.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0, "no client traffic went through \(gateway.name)'s NAT: \(natted)")

        // IPv6: a router advertisement gives the client a SLAAC address in north's prefix and a gateway as its DNS
        // server; rdisc6's solicitation brings one at once. The gateway's bridge address answers a ping.
        let advert = try await router.client("rdisc6 -1 -w 3000 -r 5 veth-c", namespace: north.namespace)
        #expect(advert.succeeded && advert.stdoutText.contains("2001:db8:60:1::/64")
                && advert.stdoutText.range(of: #"Recursive DNS server\s*:\s*2001:db8:60:1::[12]\n"#, options: .regularExpression) != nil,
                "the RA's prefix and RDNSS: \(advert.stdoutText) \(advert.stderrText)")
        let slaac = try await router.poll("ip -6 -o addr show dev veth-c scope global", namespace: north.namespace,
                                          until: { $0.contains("inet6 2001:db8:60:1:") && !$0.contains("tentative") })
        #expect(slaac.contains("inet6 2001:db8:60:1:") && !slaac.contains("tentative"), "no SLAAC address in 2001:db8:60:1::/64: \(slaac)")
        let ping6 = try await router.client("ping -6 -c 3 -W 5 2001:db8:60:1::1", namespace: north.namespace)
        #expect(ping6.succeeded, "IPv6 ping to \(gateway.name)'s bridge address: \(ping6.stdoutText) \(ping6.stderrText)")

        // gwa's uplink check drains it; the next lease, the web and IPv6 come from gwb.
        try await drainByUplink(gateway, other: other, router: router, north: north)
    }
}
