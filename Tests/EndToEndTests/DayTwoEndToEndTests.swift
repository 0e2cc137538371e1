import Foundation
import Testing
@testable import GatewayKit

/// Day two on a running gateway (one overlay of the converged gateway): the live network drifts and plan names it,
/// apply repairs it with the least disruptive action; then a gateway taken over with a fastd key the site pins.
@Suite(.serialized, .timeLimit(.minutes(80)))
struct DayTwoEndToEndTests {
    /// The daemons whose main PIDs show what a repair restarted.
    static let watched = ["systemd-networkd.service", "fastd@ffx.service", "dnsmasq.service", "radvd.service", "unbound.service",
                          "chrony.service", "ssh.service"]

    /// A way to break the live network by hand, the plan lines that must name it, and the units whose PIDs may change.
    struct Drift {
        var name: String
        var breakIt: String
        var planLines: [String]
        var restarts: Set<String>
    }

    static let drifts = [
        Drift(name: "batman interface deleted", breakIt: "ip link del bat-ffx",
              planLines: ["~ link bat-ffx  missing", "~ link vpn-ffx  master none → bat-ffx"], restarts: ["fastd@ffx.service"]),
        Drift(name: "bridge IPv4 address removed", breakIt: "ip addr del 10.99.0.1/16 dev br-ffx",
              planLines: ["~ link br-ffx  address 10.99.0.1/16 missing"], restarts: []),
        Drift(name: "gw_mode switched to client", breakIt: "batctl meshif bat-ffx gw_mode client",
              planLines: ["~ batman bat-ffx gw_mode  client → server"], restarts: []),
        Drift(name: "fastd interface detached from batman", breakIt: "batctl meshif bat-ffx interface del vpn-ffx",
              planLines: ["~ link vpn-ffx  master none → bat-ffx"], restarts: ["fastd@ffx.service"]),
    ]

    @Test("Each live drift (batman deleted, bridge address removed, gw_mode client, fastd detached) plans exit 2 naming it, apply repairs it restarting nothing unrelated, and the next plan is empty; a drained gateway is left drained; a pinned fastd key is kept, a wrong pin refused, a secret taken over from a file arrives 0600 and is printed nowhere")
    func driftRepairAndKeyTakeOver() async throws {
        try await withVM(.convergedGateway(name: ConvergedGatewayImage.alias)) { vm in
            let site = ApplyEndToEndTests.site
            let ssh = ["--ssh-config", vm.sshConfigFile]
            try await vm.waitForBoot()
            let converged = try await GwsetupCLI.run(["plan", "--detailed-exitcode", "--site", site] + ssh)
            try #require(converged.status == 0, "not converged before the drifts:\n\(converged.output)")

            for drift in Self.drifts {
                let before = try await Self.mainPIDs(vm)
                try await vm.run(drift.breakIt)
                let plan = try await GwsetupCLI.run(["plan", "--detailed-exitcode", "--site", site] + ssh)
                #expect(plan.status == 2, "\(drift.name): plan exit \(plan.status):\n\(plan.output)")
                for line in drift.planLines {
                    #expect(plan.stdout.squeezingSpaces.contains(line.squeezingSpaces), "\(drift.name): no `\(line)` in:\n\(plan.stdout)")
                }
                let apply = try await GwsetupCLI.run(["apply", "--yes", "--site", site] + ssh)
                #expect(apply.status == 0, "\(drift.name): apply:\n\(apply.output)")
                let after = try await Self.mainPIDs(vm)
                for unit in Self.watched where !drift.restarts.contains(unit) {
                    #expect(after[unit] == before[unit], "\(drift.name): \(unit) restarted (\(before[unit] ?? "?") → \(after[unit] ?? "?"))")
                }
                #expect(try await vm.run("batctl meshif bat-ffx gw_mode").hasPrefix("server"), "\(drift.name): gw_mode")
                let links = try await vm.run("ip -o link show vpn-ffx; ip -o link show bat-ffx; ip -br addr show br-ffx")
                #expect(links.contains("master bat-ffx") && links.contains("master br-ffx") && links.contains("10.99.0.1/16"),
                        "\(drift.name): links after apply: \(links)")
                let next = try await GwsetupCLI.run(["plan", "--detailed-exitcode", "--site", site] + ssh)
                #expect(next.status == 0, "\(drift.name): plan after the repair:\n\(next.output)")
            }

            // A drained gateway (the marker the uplink watchdog writes) is in an intended state.
            try await vm.run("mkdir -p /run/gwsetup && touch /run/gwsetup/drained && batctl meshif bat-ffx gw_mode off")
            let drained = try await GwsetupCLI.run(["plan", "--detailed-exitcode", "--site", site] + ssh)
            #expect(drained.status == 0, "plan undoes a drain:\n\(drained.output)")
            try await vm.run("rm /run/gwsetup/drained")
            let undrained = try await GwsetupCLI.run(["plan", "--detailed-exitcode", "--site", site] + ssh)
            #expect(undrained.status == 2 && undrained.stdout.squeezingSpaces.contains("~ batman bat-ffx gw_mode off → server"), "\(undrained.output)")
            #expect(try await GwsetupCLI.run(["apply", "--yes", "--site", site] + ssh).status == 0)

            try await Self.keyTakeOver(vm, ssh: ssh)
        }
    }

    /// The site's fastd key pinned: the held key is kept, a wrong pin stops plan naming both keys, and a secret given by
    /// file replaces the held one, arriving 0600 and appearing in no output, plan file or journal.
    static func keyTakeOver(_ vm: TestVM, ssh: [String]) async throws {
        let held = try await vm.run("fastd --config /etc/fastd/ffx/secret.conf --show-key --machine-readable").trimmingCharacters(in: .whitespacesAndNewlines)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gwsetup-takeover-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let base = try String(contentsOfFile: ApplyEndToEndTests.site, encoding: .utf8)
        func site(_ name: String, extra: String) throws -> String {
            let path = "\(directory)/\(name).yaml"
            try base.replacingOccurrences(of: #"ffx: {ipv4: 10.99.0.1, ipv6: "fd99:1234:5678::1"}"#,
                                          with: #"ffx: {ipv4: 10.99.0.1, ipv6: "fd99:1234:5678::1", "# + extra + "}")
                .write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        let pinned = try site("pinned", extra: "fastd_public_key: \(held)")
        let keep = try await GwsetupCLI.run(["plan", "--detailed-exitcode", "--site", pinned] + ssh)
        #expect(keep.status == 0 && !keep.stdout.contains("fastd-key"), "a correct pin plans a key change:\n\(keep.output)")

        let wrongKey = String(repeating: "ab", count: 32)
        let wrong = try await GwsetupCLI.run(["plan", "--site", try site("wrong", extra: "fastd_public_key: \(wrongKey)")] + ssh)
        #expect(wrong.status == 1 && wrong.stderr.contains(held) && wrong.stderr.contains(wrongKey), "a wrong pin:\n\(wrong.output)")

        // A secret the admin brings (as from a password manager's mount), pinned to its own public key.
        let generated = try await ProcessRunner.run(executable: "/usr/bin/fastd", arguments: ["--generate-key", "--machine-readable"],
                                                    stdin: Data(), timeout: .seconds(30))
        let secret = String(decoding: generated.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(secret.count == 64, "fastd --generate-key on the host")
        try "secret \"\(secret)\";\n".write(toFile: "\(directory)/ffx.secret", atomically: true, encoding: .utf8)
        try await vm.write(Data("secret \"\(secret)\";\n".utf8), to: "/tmp/show-key.conf", mode: "0600")
        let publicKey = try await vm.run("fastd --config /tmp/show-key.conf --show-key --machine-readable; rm -f /tmp/show-key.conf")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let takeOver = try site("takeover", extra: "fastd_public_key: \(publicKey), fastd_secret_file: ffx.secret")
        let planFile = "\(directory)/takeover.plan"
        let plan = try await GwsetupCLI.run(["plan", "--detailed-exitcode", "--site", takeOver, "--out", planFile] + ssh)
        #expect(plan.status == 2 && plan.stdout.squeezingSpaces.contains("fastd-key /etc/fastd/ffx/secret.conf") && plan.stdout.contains(publicKey),
                "the take-over plan:\n\(plan.output)")
        let apply = try await GwsetupCLI.run(["apply", "--yes", "--plan", planFile, "--site", takeOver] + ssh)
        #expect(apply.status == 0, "the take-over apply:\n\(apply.output)")
        #expect(try await vm.run("fastd --config /etc/fastd/ffx/secret.conf --show-key --machine-readable")
                    .trimmingCharacters(in: .whitespacesAndNewlines) == publicKey, "the gateway does not hold the taken-over key")
        #expect(try await vm.run("stat -c %a /etc/fastd/ffx/secret.conf") == "600\n")
        // Decided outside #expect, whose failure report would print the secret it compared.
        let planText = (try? String(contentsOfFile: planFile, encoding: .utf8)) ?? ""
        let journal = try await vm.run("journalctl --no-pager -o cat | grep -c \(String(secret.prefix(16))) || true")
        let leaked = [plan.output, apply.output, planText].contains { $0.contains(String(secret.prefix(16))) }
        #expect(!leaked, "the taken-over secret appeared in gwsetup's output or plan file")
        #expect(journal == "0\n", "the taken-over secret appeared in the gateway's journal")
        let after = try await GwsetupCLI.run(["plan", "--detailed-exitcode", "--site", takeOver] + ssh)
        #expect(after.status == 0, "plan after the take-over:\n\(after.output)")
    }

    /// Each watched unit's main PID.
    static func mainPIDs(_ vm: TestVM) async throws -> [String: String] {
        let output = try await vm.run("systemctl show -p Id -p MainPID \(watched.joined(separator: " "))")
        var pids: [String: String] = [:]
        // One block per unit, separated by a blank line; systemd prints the properties in its own order.
        for block in output.components(separatedBy: "\n\n") {
            let lines = block.split(separator: "\n")
            if let id = lines.first(where: { $0.hasPrefix("Id=") }), let pid = lines.first(where: { $0.hasPrefix("MainPID=") }) {
                pids[String(id.dropFirst(3))] = String(pid.dropFirst(8))
            }
        }
        return pids
    }
}
