import Foundation
import Testing
import Logging
@testable import GatewayKit

/// `gwsetup apply` against a real, fresh Debian 12 VM over SSH: the proof that apply makes a gateway. Its gateway,
/// powered off once converged, becomes the converged image the other scenarios boot (`ConvergedGatewayImage`).
@Suite(.serialized, .timeLimit(.minutes(80)))
struct ApplyEndToEndTests {
    static let site = ConvergedGatewayImage.site
    static let services = ["gwsetup-firewall.service", "systemd-networkd.service", "fastd@ffx.service", "dnsmasq.service",
                           "unbound.service", "chrony.service", "radvd.service", "fail2ban.service", "ssh.service"]

    @Test("A fresh droplet, as the offline plan assumes it, becomes a gateway with one apply over SSH; plan then finds nothing, and a second apply opens one connection (as the gateway's sshd counts it) and changes and restarts nothing")
    func freshDropletBecomesAGateway() async throws {
        // The claim comes first: another scenario's `ensure()` that finds no converged image waits for it only if it
        // is already held, rather than converging a VM of its own.
        try await ConvergedGatewayImage.withFirstApplyClaim {
            let started = ContinuousClock.now
            let base = try await VMImage.ensure(.gateway)
            let final = try await ConvergedGatewayImage.finalDirectory(base: base)
            let work = try ConvergedGatewayImage.newWorkDirectory()
            var published: String?
            defer { if published == nil { try? FileManager.default.removeItem(atPath: work) } }
            var qemu: Int32 = 0
            try await withVM(.gateway(name: ConvergedGatewayImage.alias, forwards: [.udp(Self.fastdPort)], overlay: work + "/disk.qcow2")) { vm in
                qemu = vm.pid
                try await Self.checkFreshDroplet(vm)
                try await Self.firstApply(on: vm)
                try await vm.powerOff()
            }
            #expect(!Self.isQemu(qemu), "qemu \(qemu) must be gone once withVM returns")
            published = try await ConvergedGatewayImage.publish(work: work, as: final, base: base, startedAt: started)
        }
    }

    /// The droplet before gwsetup touches it: systemd up, Debian 12 with the host's mirror, batman-adv in its kernel, and
    /// exactly the facts `plan --offline` assumes (`HostFacts.freshDebian12`) for everything the site makes the probe read.
    static func checkFreshDroplet(_ vm: TestVM) async throws {
        let state = try await vm.ssh("systemctl is-system-running --wait", timeout: .seconds(300))
        #expect(["running", "degraded"].contains(state.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)),
                "systemd: \(state.stdoutText) \(state.stderrText)")
        #expect(try await vm.run(". /etc/os-release; echo $VERSION_CODENAME") == "bookworm\n")
        let mirror = try #require(Self.hostMirror(), "the host has no URIs: line in its apt sources")
        let sources = try await vm.run("cat /etc/apt/sources.list.d/*.sources")
        #expect(sources.contains("URIs: \(mirror)"), "guest apt sources: \(sources)")
        let batman = try await vm.ssh("modprobe batman_adv && ip link add bat-probe type batadv && ip -o link show bat-probe && ip link del bat-probe && modprobe -r batman_adv")
        #expect(batman.succeeded && batman.stdoutText.contains("bat-probe"), "batman-adv: \(batman.stderrText)")

        let pipeline = try SitePipeline(sitePath: site)
        let desired = try pipeline.desiredState(for: try pipeline.singleGateway(named: nil))
        let live = try await TransportSpec(parsing: vm.sshTarget).withTransport(
            sshOptions: SSHTransport.Options(configFile: vm.sshConfigFile), logger: Logger(label: "e2e")
        ) { transport in try await FactsProbe(request: ProbeRequest(desired: desired)).gather(over: transport, logger: Logger(label: "e2e")) }
        let differences = FreshDropletFacts.differences(live: live, fixture: .freshDebian12, desired: desired)
        #expect(differences.isEmpty, "the offline fixture is not this fresh droplet:\n\(differences.joined(separator: "\n"))")
    }

    /// The first apply and what it must leave: every service up, batman a gateway, the bridge addressed, the firewall and
    /// NAT loaded, forwarding on, a fastd secret that never left the box; then nothing to plan and a no-op second apply.
    static func firstApply(on vm: TestVM) async throws {
        let connection = ["--site", site, "--ssh-config", vm.sshConfigFile]
        let first = try await GwsetupCLI.run(["apply", "--yes"] + connection)
        try #require(first.status == 0, "first apply failed:\n\(first.output)")

        let active = try await vm.ssh("systemctl is-active \(services.joined(separator: " "))")
        #expect(active.stdoutText == String(repeating: "active\n", count: services.count),
                "not all active:\n\(zip(services, active.stdoutText.split(separator: "\n")).map { "\($0) \($1)" }.joined(separator: "\n"))")
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

        // Required: a gateway that still plans changes must not become the converged image.
        let plan = try await GwsetupCLI.run(["plan", "--detailed-exitcode"] + connection)
        try #require(plan.status == 0, "plan after apply is not empty:\n\(plan.output)")

        let before = try await vm.run(startTimesCommand)
        let cursor = try await vm.journalCursor()
        let second = try await GwsetupCLI.run(["apply", "--yes"] + connection)
        #expect(second.status == 0, "second apply failed:\n\(second.output)")
        #expect(second.stdout.contains("No changes. gw1 matches the site."), "\(second.output)")
        #expect(second.stdout.contains("ssh: 1 connection, 1 round trip"), "\(second.output)")
        let logins = try await vm.sshLogins(after: cursor)
        #expect(logins == 1, "the gateway's sshd accepted \(logins) logins for the no-op apply")
        #expect(try await vm.run(startTimesCommand) == before, "the second apply restarted something")
    }

    /// The fixture's fastd port, forwarded from the host into the gateway VM like a droplet's public port.
    static let fastdPort = 10000

    /// Each service's main PID and last start time: a restart or reload-by-restart changes them.
    static var startTimesCommand: String {
        "systemctl show -p Id -p MainPID -p ActiveEnterTimestampMonotonic -p ExecMainStartTimestampMonotonic \(services.joined(separator: " "))"
    }

    /// The first non-security `URIs:` value of the host's deb822 sources, which the images copy.
    static func hostMirror() -> String? {
        let directory = "/etc/apt/sources.list.d"
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for file in files.sorted() where file.hasSuffix(".sources") {
            let text = (try? String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") where line.hasPrefix("URIs:") {
                if let uri = line.split(separator: " ").dropFirst().first(where: { !$0.contains("security") }) {
                    return String(uri)
                }
            }
        }
        return nil
    }

    /// Whether `pid` is still a live qemu (a reaped process has no /proc entry; a reused PID has another name).
    static func isQemu(_ pid: Int32) -> Bool {
        let comm = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
        return comm.hasPrefix("qemu")
    }
}
