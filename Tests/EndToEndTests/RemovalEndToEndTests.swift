import Foundation
import Testing
@testable import GatewayKit

/// What the site drops is removed from a running gateway (one overlay of the converged gateway): an admin loses login,
/// keys and sudo; a domain loses its fastd, links, files and firewall rules; a domain's second fastd instance goes
/// while its first keeps serving; an extra firewall opening goes; nothing gwsetup did not write is touched.
@Suite(.serialized, .timeLimit(.minutes(80)))
struct RemovalEndToEndTests {
    @Test("A site that drops admin bob, domain ffy and ffx's second fastd instance removes bob's login, keys and sudo, ffy's fastd instances, links, files and firewall rules, fastd@ffx.2 with its port while fastd@ffx keeps serving, and the extra opening it had in the live rules and in verify's intents; it keeps a file placed by hand, and then plans nothing")
    func droppedAdminAndDomainAreRemoved() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gwsetup-removal-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bobKey = directory + "/bob"
        let keygen = try await ProcessRunner.run(executable: "/usr/bin/ssh-keygen", arguments: ["-q", "-t", "ed25519", "-N", "", "-C", "bob@laptop", "-f", bobKey],
                                                 stdin: Data(), timeout: .seconds(30))
        try #require(keygen.status == 0, "ssh-keygen: \(String(decoding: keygen.stderr, as: UTF8.self))")
        let bobPublic = try String(contentsOfFile: bobKey + ".pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let reduced = ApplyEndToEndTests.site
        let full = directory + "/two-domains.yaml"
        try Self.twoDomainSite(bobPublic: bobPublic).write(toFile: full, atomically: true, encoding: .utf8)

        try await withVM(.convergedGateway(name: ConvergedGatewayImage.alias)) { vm in
            let ssh = ["--ssh-config", vm.sshConfigFile]
            try await vm.waitForBoot()
            let grown = try await GwsetupCLI.run(["apply", "--yes", "--site", full] + ssh)
            try #require(grown.status == 0, "applying the two-domain site:\n\(grown.output)")
            #expect(try await Self.bobLogsIn(vm, key: bobKey), "bob cannot log in after the site added him")
            #expect(try await vm.run("sudo -l -U bob").contains("(ALL"), "bob has no sudo rights after the site added him")
            #expect(try await vm.run("systemctl is-active fastd@ffy; ip -br link show bat-ffy | cut -d' ' -f1") == "active\nbat-ffy\n")
            // Two fastd instances per domain, each adding its interface to the domain's batman-adv.
            let instances = try await vm.ssh("systemctl is-active fastd@ffx fastd@ffx.2 fastd@ffy fastd@ffy.2").stdoutText
            #expect(instances == String(repeating: "active\n", count: 4), "the grown site's fastd instances: \(instances)")
            let ffxInterfaces = try await vm.run("batctl meshif bat-ffx if")
            #expect(ffxInterfaces.contains("vpn-ffx: active") && ffxInterfaces.contains("vpn2-ffx: active"), "bat-ffx: \(ffxInterfaces)")
            // The site's extra opening is in the live rules of both families, and verify holds it as intents.
            let rules = try await vm.run("iptables-save; ip6tables-save")
            #expect(rules.components(separatedBy: "open web").count - 1 >= 2 && rules.contains("--dport 443"), "the opening `web` in the live rules:\n\(rules)")
            let verify = try await GwsetupCLI.run(["verify", "--json", "--site", full] + ssh)
            #expect(verify.status == 0, "verify of the grown site:\n\(verify.output)")
            let intents = Self.intentStatuses(verify.stdout)
            #expect(["ipv4.uplink.open-web", "ipv4.uplink.refused-open-web", "ipv6.uplink.open-web", "ipv6.uplink.refused-open-web"]
                        .allSatisfy { intents[$0] == "holds" },
                    "verify's intents for the opening: \(intents.filter { $0.key.contains("open-web") })")
            try await vm.run("mkdir -p /etc/fastd/ffy/peers && echo 'key \"by hand\";' > /etc/fastd/ffy/peers/node1")

            let plan = try await GwsetupCLI.run(["plan", "--detailed-exitcode", "--site", reduced] + ssh)
            #expect(plan.status == 2, "plan of the reduced site:\n\(plan.output)")
            for line in ["- user bob", "- unit fastd@ffy.service", "- file /etc/fastd/ffy/fastd.conf", "- fastd-key /etc/fastd/ffy/secret.conf",
                         "- unit fastd@ffy.2.service", "- unit fastd@ffx.2.service", "- file /etc/fastd/ffx.2/fastd.conf"] {
                #expect(plan.stdout.squeezingSpaces.contains(line), "no `\(line)` in:\n\(plan.stdout)")
            }
            #expect(plan.stdout.range(of: #"Plan: .* [1-9][0-9]* to destroy"#, options: .regularExpression) != nil, "\(plan.stdout)")
            #expect(!plan.stdout.contains("node1"), "a file placed by hand is planned for removal:\n\(plan.stdout)")

            let shrunk = try await GwsetupCLI.run(["apply", "--yes", "--site", reduced] + ssh)
            #expect(shrunk.status == 0, "applying the reduced site:\n\(shrunk.output)")
            #expect(!(try await Self.bobLogsIn(vm, key: bobKey)), "bob's key still logs in after the site dropped him")
            let sudo = try await vm.ssh("sudo -l -U bob")
            #expect(!sudo.stdoutText.contains("may run"), "bob keeps sudo rights: \(sudo.stdoutText)")
            #expect(!(try await vm.ssh("id bob").succeeded), "bob's account is still there")
            let links = try await vm.ssh("ip link show bat-ffy || ip link show br-ffy")
            #expect(!links.succeeded, "ffy's links are still there: \(links.stdoutText)")
            #expect(try await vm.ssh("systemctl is-active fastd@ffy").stdoutText != "active\n", "fastd@ffy still runs")
            #expect(try await vm.ssh("systemctl is-enabled fastd@ffy").stdoutText != "enabled\n", "fastd@ffy is still enabled")
            // ffx keeps its first instance; the second, its interface, directory and port are gone.
            let ffx = try await vm.ssh("systemctl is-active fastd@ffx fastd@ffx.2 fastd@ffy.2; systemctl is-enabled fastd@ffx.2").stdoutText
            #expect(ffx.hasPrefix("active\ninactive\ninactive\n") && !ffx.hasSuffix("\nenabled\n"), "fastd@ffx, fastd@ffx.2, fastd@ffy.2, ffx.2 enabled: \(ffx)")
            #expect(try await vm.run("batctl meshif bat-ffx if | cut -d: -f1") == "vpn-ffx\n", "bat-ffx keeps only vpn-ffx")
            #expect(!(try await vm.ssh("ls /etc/fastd/ffx.2").succeeded), "/etc/fastd/ffx.2 is still there")
            let rulesAfter = try await vm.run("iptables-save; ip6tables-save")
            #expect(rulesAfter.contains("--dport 10001") == false, "ffx.2's port 10001 is still open")
            #expect(rulesAfter.contains("ffy") == false, "the firewall still has rules for ffy")
            #expect(rulesAfter.contains("open web") == false, "the opening the site dropped is still open")
            #expect(try await vm.run("ls /etc/systemd/network; ls /etc/fastd").contains("ffy.") == false, "ffy's networkd files are still there")
            #expect(try await vm.run("cat /etc/fastd/ffy/peers/node1") == "key \"by hand\";\n", "the file placed by hand was touched")
            let manifest = try await vm.run("stat -c %a /var/lib/gwsetup/manifest.json; cat /var/lib/gwsetup/manifest.json")
            #expect(manifest.hasPrefix("600\n") && !manifest.contains("ffy") && !manifest.contains("bob"), "the manifest: \(manifest)")
            let after = try await GwsetupCLI.run(["plan", "--detailed-exitcode", "--site", reduced] + ssh)
            #expect(after.status == 0, "plan after the removal:\n\(after.output)")
        }
    }

    /// vm-site.yaml with two fastd instances for ffx, a second domain ffy (gw1 serving it, two instances), a second
    /// admin bob with `bobPublic` and an extra opening (HTTPS from two prefixes on the uplink).
    static func twoDomainSite(bobPublic: String) throws -> String {
        var site = try String(contentsOfFile: ApplyEndToEndTests.site, encoding: .utf8)
        let ffy = """
              - code: ffy
                prefix4: 10.98.0.0/16
                prefix6: fd98:1234:5678::/64
                mtu: 1312
                fastd:
                  port: 10002
                  instances: 2
                  methods: [salsa2012+umac]
                batman:
                  routing_algo: BATMAN_IV
                  gw_bandwidth: 10mbit/10mbit

            services:
            """
        site = site.replacingOccurrences(of: "\nservices:\n", with: "\n" + ffy + "\n")
        site = site.replacingOccurrences(of: "      port: 10000\n", with: "      port: 10000\n      instances: 2\n")
        site = site.replacingOccurrences(of: #"      ffx: {ipv4: 10.99.0.1, ipv6: "fd99:1234:5678::1"}"#,
                                         with: #"      ffx: {ipv4: 10.99.0.1, ipv6: "fd99:1234:5678::1"}"# + "\n" + #"      ffy: {ipv4: 10.98.0.1, ipv6: "fd98:1234:5678::1"}"#)
        site = site.replacingOccurrences(of: "\ngateways:\n", with: "\n    - name: bob\n      keys: [\"\(bobPublic)\"]\n\ngateways:\n")
        site += """

            firewall:
              open:
                - {name: web, on: uplink, proto: tcp, port: 443, from: [192.0.2.0/24, "2001:db8:1::/48"]}

            """
        return site
    }

    /// Each intent's id and status (holds, fails) from `gwsetup verify --json`.
    static func intentStatuses(_ json: String) -> [String: String] {
        let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let intents = object?["intents"] as? [[String: Any]] ?? []
        return Dictionary(intents.compactMap { intent in (intent["id"] as? String).map { ($0, intent["status"] as? String ?? "") } },
                          uniquingKeysWith: { first, _ in first })
    }

    /// Whether bob's own key gets a shell on the gateway over SSH.
    static func bobLogsIn(_ vm: TestVM, key: String) async throws -> Bool {
        let outcome = try await ProcessRunner.run(
            executable: "/usr/bin/ssh",
            arguments: ["-o", "IdentityFile=\(key)", "-o", "IdentitiesOnly=yes", "-o", "UserKnownHostsFile=\(vm.knownHostsFile)",
                        "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=20",
                        "-p", String(vm.sshPort), "bob@127.0.0.1", "echo in"],
            stdin: Data(), timeout: .seconds(120))
        return outcome.status == 0 && String(decoding: outcome.stdout, as: UTF8.self) == "in\n"
    }
}
