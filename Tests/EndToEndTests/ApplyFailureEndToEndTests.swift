import Foundation
import Testing
@testable import GatewayKit
#if canImport(Glibc)
import Glibc
#endif

/// What an apply does to a gateway that already runs, on one overlay of the converged gateway: it comes back converged
/// after a power cycle; a config its daemon rejects, and gwsetup killed in the middle of an apply; then gwsetup run on
/// the gateway itself (`ssh: local`), the way an admin without a second machine uses it.
@Suite(.serialized, .timeLimit(.minutes(80)))
struct ApplyFailureEndToEndTests {
    @Test("The converged gateway plans nothing after a power cycle; a config its daemon rejects stops apply before it goes live; an apply killed midway converges on rerun with no half-written file; gwsetup inside the gateway with the local transport rewrites and restarts what a changed site needs, logs each step to its journal, and then plans nothing")
    func rejectedConfigInterruptedApplyAndLocalRun() async throws {
        try await withVM(.convergedGateway(name: ConvergedGatewayImage.alias)) { vm in
            let ssh = ["--ssh-config", vm.sshConfigFile]
            // New SSH host keys and fastd secrets (renewIdentity) are not drift: the site pins neither.
            try await vm.waitForBoot()
            let converged = try await GwsetupCLI.run(["plan", "--detailed-exitcode", "--site", ApplyEndToEndTests.site] + ssh)
            #expect(converged.status == 0, "the converged gateway is not converged after a power cycle:\n\(converged.output)")

            let dnsmasqBefore = try await vm.run("sha256sum /etc/dnsmasq.d/gwsetup.conf; systemctl show -p MainPID dnsmasq")
            let broken = try await GwsetupCLI.run(["apply", "--yes", "--site", GwsetupCLI.fixture("vm-site-broken-dnsmasq.yaml")] + ssh)
            #expect(broken.status == 1)
            #expect(broken.stderr.contains("apply stopped at `file /etc/dnsmasq.d/gwsetup.conf`"), "\(broken.output)")
            #expect(broken.stdout.contains("the daemon's check rejected the new file"), "the daemon's complaint is missing:\n\(broken.output)")
            #expect(try await vm.run("sha256sum /etc/dnsmasq.d/gwsetup.conf; systemctl show -p MainPID dnsmasq") == dnsmasqBefore,
                    "the rejected config went live or dnsmasq was restarted")
            #expect(try await vm.run("systemctl is-active dnsmasq") == "active\n")

            // Killed three times, each at a point seen on the gateway itself: while dpkg installs, while a candidate
            // file is being checked, while systemctl starts or restarts a unit. After each kill every managed file is
            // its old or its new content, never a mix or a temporary.
            let changedSite = GwsetupCLI.fixture("vm-site-changed.yaml")
            let new = try await Self.renderedHashes(of: changedSite)
            let paths = Set(new.keys).union(try await Self.renderedHashes(of: ApplyEndToEndTests.site).keys).sorted()
            let old = try await Self.hashes(of: paths, on: vm)
            for (point, seenBy) in Self.killPoints {
                try await Self.killApply(changedSite, ssh: ssh, on: vm, when: seenBy, point: point)
                let now = try await Self.hashes(of: paths, on: vm)
                for path in paths {
                    #expect(now[path] == old[path] || now[path] == new[path] ?? "absent",
                            "after the kill \(point), \(path) is neither its old nor its new content")
                }
            }
            #expect(try await vm.run("dpkg-query -W -f '${Status}' vnstat") == "install ok installed", "the killed runs never got past apt")
            let owed = try await vm.run("cat /var/lib/gwsetup/pending-triggers").split(separator: "\n").map(String.init)
            #expect(!owed.isEmpty, "the killed applies finished anyway (no restarts left owed), so nothing was interrupted")

            let rerun = try await GwsetupCLI.run(["apply", "--yes", "--site", changedSite] + ssh)
            #expect(rerun.status == 0, "rerun after the kill failed:\n\(rerun.output)")
            // An owed restart or reload of a unit the rerun starts anyway is that start.
            for trigger in owed {
                let unit = trigger.split(separator: " ").last.map(String.init) ?? trigger
                #expect(rerun.stdout.contains(trigger) || (!trigger.hasPrefix("command ") && rerun.stdout.contains("start \(unit)")),
                        "the `\(trigger)` a killed run owed was lost:\n\(rerun.output)")
            }
            let plan = try await GwsetupCLI.run(["plan", "--detailed-exitcode", "--site", changedSite] + ssh)
            #expect(plan.status == 0, "not converged after the rerun:\n\(plan.output)")
            #expect(try await vm.run("find /etc /home /var/lib/gwsetup -name '.gwsetup.*'") == "", "a half-written candidate was left behind")
            #expect(try await vm.run("test ! -e /usr/sbin/policy-rc.d && echo gone") == "gone\n")
            let active = try await vm.ssh("systemctl is-active \(ApplyEndToEndTests.services.joined(separator: " "))")
            #expect(active.stdoutText == String(repeating: "active\n", count: ApplyEndToEndTests.services.count), "\(active.stdoutText)")

            try await Self.localRun(in: vm)
        }
    }

    /// Where to kill an apply of vm-site-changed.yaml, each with a shell test that holds on the gateway only then.
    static let killPoints: [(String, String)] = [
        ("during packages", "pgrep -x dpkg >/dev/null"),
        ("during files", "find /etc -maxdepth 3 -name '.gwsetup.??????' | grep -q ."),
        ("during unit starts", "pgrep -f '^systemctl (start|restart|reload-or-restart) ' >/dev/null"),
    ]

    /// Starts `gwsetup apply` of `site` and SIGKILLs it the moment `condition` holds on the gateway (a watcher polling
    /// there every 0.1 s), then waits until the gateway's script has noticed and let go of its lock.
    static func killApply(_ site: String, ssh: [String], on vm: TestVM, when condition: String, point: String) async throws {
        let watcher = Task {
            try await vm.ssh("for i in $(seq 6000); do if \(condition); then echo seen; exit 0; fi; sleep 0.1; done; exit 1", timeout: .seconds(900))
        }
        let applying = Process()
        applying.executableURL = URL(fileURLWithPath: GwsetupCLI.binary)
        applying.arguments = ["apply", "--yes", "--site", site] + ssh
        applying.standardOutput = FileHandle.nullDevice
        applying.standardError = FileHandle.nullDevice
        try applying.run()
        let seen = try await watcher.value
        kill(applying.processIdentifier, SIGKILL)
        applying.waitUntilExit()
        try #require(seen.stdoutText == "seen\n", "the apply never got \(point) (watcher: \(seen.stdoutText)\(seen.stderrText))")
        #expect(applying.terminationReason == .uncaughtSignal, "the apply ended on its own before the kill \(point)")

        // The gateway notices at its next progress line; until then it still holds the lock, as a rerun would be told.
        var free = false
        for _ in 0..<300 where !free {
            free = try await vm.ssh("flock -n /run/gwsetup.lock true").succeeded
            if !free { try await Task.sleep(for: .seconds(1)) }
        }
        try #require(free, "the apply killed \(point) never let go of the lock")
    }

    /// sha256 of each of `paths` as the gateway has them ("absent" for a missing file).
    static func hashes(of paths: [String], on vm: TestVM) async throws -> [String: String] {
        let script = paths.map { "printf '%s %s\\n' \(ShellQuote.quote($0)) \"$(sha256sum < \(ShellQuote.quote($0)) 2>/dev/null | cut -c1-64 || true)\"" }
            .joined(separator: "; ")
        var hashes: [String: String] = [:]
        for line in try await vm.run(script).split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            hashes[String(fields[0])] = fields.count > 1 && !fields[1].isEmpty ? String(fields[1]) : "absent"
        }
        return hashes
    }

    /// sha256 of every file gwsetup renders for `site`'s gateway, by its path on the gateway.
    static func renderedHashes(of site: String) async throws -> [String: String] {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("gwsetup-render-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let render = try await GwsetupCLI.run(["render", "--site", site, "--output", output])
        try #require(render.status == 0, "render \(site): \(render.output)")
        let listing = try await ProcessRunner.run(executable: "/bin/sh", arguments: ["-c", "cd \(ShellQuote.quote(output)) && find . -type f -exec sha256sum {} +"],
                                                  stdin: Data(), timeout: .seconds(60))
        var hashes: [String: String] = [:]
        for line in String(decoding: listing.stdout, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 1)
            if fields.count == 2 { hashes[String(fields[1].trimmingCharacters(in: .whitespaces).dropFirst())] = String(fields[0]) }
        }
        return hashes
    }

    /// gwsetup installed in the gateway runs vm-site.yaml with `ssh: local`, changing back what vm-site-changed.yaml
    /// changed: the same steps through another door, each logged to the gateway's own journal.
    static func localRun(in vm: TestVM) async throws {
        let site = try String(contentsOfFile: ApplyEndToEndTests.site, encoding: .utf8)
            .replacingOccurrences(of: "ssh: root@gwvm", with: "ssh: local")
        try await GwsetupCLI.install(in: vm)
        try await vm.write(Data(site.utf8), to: "/root/site.yaml")

        let apply = try await vm.ssh("gwsetup apply --yes --site /root/site.yaml", timeout: .seconds(2400))
        try #require(apply.succeeded, "local apply failed:\n\(apply.stdoutText)\n\(apply.stderrText)")
        #expect(apply.stdoutText.contains("Apply complete on gw1"), "\(apply.stdoutText)")
        #expect(apply.stdoutText.contains("restart dnsmasq.service"), "the local apply did not restart what the site change needs:\n\(apply.stdoutText)")
        #expect(!apply.stdoutText.contains("ssh:"), "a local run opens no ssh connection")
        let active = try await vm.ssh("systemctl is-active \(ApplyEndToEndTests.services.joined(separator: " "))")
        #expect(active.stdoutText == String(repeating: "active\n", count: ApplyEndToEndTests.services.count), "\(active.stdoutText)")
        #expect(try await vm.run("batctl meshif bat-ffx gw_mode").hasPrefix("server"))

        let logged = try await vm.run("journalctl -q -t gwsetup GWSETUP_STEP=file GWSETUP_RESOURCE=/etc/radvd.conf -o export | grep -a '^GWSETUP_OUTCOME='")
        #expect(logged == "GWSETUP_OUTCOME=changed\n", "the journal has no structured record of writing /etc/radvd.conf")

        let plan = try await vm.ssh("gwsetup plan --detailed-exitcode --site /root/site.yaml")
        #expect(plan.status == 0, "plan after the local apply:\n\(plan.stdoutText)\(plan.stderrText)")
    }
}
