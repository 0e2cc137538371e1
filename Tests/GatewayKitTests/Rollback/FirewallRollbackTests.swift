import Foundation
import Testing
@testable import GatewayKit
@testable import FirewallKit

/// The safe-load scripts run for real in a throw-away namespace; the timer is the detached-shell scheduler,
/// since this machine has no systemd as PID 1 (the systemd-run form is exercised on the VMs).
@Suite(.serialized) struct FirewallRollbackTests {
    static let good = try! renderedRules("single-gateway.yaml", gateway: "gw1", .ipv4)
    static let good6 = try! renderedRules("single-gateway.yaml", gateway: "gw1", .ipv6)
    /// What an admin's typo does: nothing may come in from the uplink, SSH included.
    static let lockout = good.replacingOccurrences(of: "-A INPUT -i eth0 -j gw-wan-in\n", with: "-A INPUT -i eth0 -j DROP\n")

    /// One run's files and scripts, inside a namespace the test holds (so it is deleted whatever happens).
    struct Setup {
        let namespace: String
        let folder: ScratchFolder
        let rollback: FirewallRollback

        init(in namespace: borrowing ThrowawayNamespace, timeoutSeconds: Int = 1) throws {
            self.namespace = namespace.name
            folder = try ScratchFolder()
            rollback = FirewallRollback(token: "test\(UInt32.random(in: 1000...9999))", timeoutSeconds: timeoutSeconds,
                                        scheduler: .detachedShell, stateRoot: folder.path + "/state",
                                        rulesPaths: [.ipv4: folder.path + "/etc/rules.v4", .ipv6: folder.path + "/etc/rules.v6"])
            try FileManager.default.createDirectory(atPath: folder.path + "/etc", withIntermediateDirectories: true)
            try folder.write("etc/rules.v4", FirewallRollbackTests.good)
            try folder.write("etc/rules.v6", FirewallRollbackTests.good6)
            #expect(try namespace.exec(["iptables-restore"], input: FirewallRollbackTests.good).status == 0)
            #expect(try namespace.exec(["ip6tables-restore"], input: FirewallRollbackTests.good6).status == 0)
        }

        func run(_ script: String, input: String = "") throws -> (status: Int32, output: String, error: String) {
            try runCommand(["ip", "netns", "exec", namespace, "/bin/sh", "-c", script], input: input)
        }

        func load(ipv4: String, ipv6: String = FirewallRollbackTests.good6) throws -> (status: Int32, output: String, error: String) {
            try run(rollback.loadScript, input: FirewallRollback.stdin(ipv4: ipv4, ipv6: ipv6))
        }

        /// What the run's state file says: `confirmed`, `rolled-back`, or `pending` while it has no outcome yet.
        func outcome() throws -> String {
            try run("cat \(ShellQuote.quote(rollback.stateDirectory + "/outcome")) 2>/dev/null || echo pending").output
        }

        /// The live IPv4 rules, normalised, for comparing with what was loaded.
        func live() throws -> Ruleset {
            try RulesetParser.parse(try run("iptables-save").output, file: "iptables-save").normalized
        }

        /// Polls `condition` until it holds or `seconds` pass: a process ending after a kill takes its time on a loaded machine.
        func eventually(seconds: Double = 30, _ condition: () throws -> Bool) rethrows -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while true {
                if try condition() { return true }
                if Date() > deadline { return false }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }

        /// Waits until the timer has run and finished; the bound only makes a broken timer fail instead of hanging.
        func waitForTimer() throws {
            for _ in 0..<600 where !FileManager.default.fileExists(atPath: rollback.stateDirectory + "/fired") {
                Thread.sleep(forTimeInterval: 0.1)
            }
            #expect(FileManager.default.fileExists(atPath: rollback.stateDirectory + "/fired"), "the rollback timer never ran")
            // `fired` is written first; the restore holds the lock until it is done.
            #expect(try run("flock \(ShellQuote.quote(rollback.stateDirectory + "/lock")) true").status == 0)
        }
    }

    @Test func unconfirmedLockoutIsRolledBackRulesAndFilesAlike() throws {
        let namespace = try ThrowawayNamespace()
        let setup = try Setup(in: namespace, timeoutSeconds: 1)
        defer { setup.folder.cleanup() }
        let loaded = try setup.load(ipv4: Self.lockout)
        #expect(loaded.status == 0 && loaded.output == "armed\n", "\(loaded.error)")
        try setup.waitForTimer()
        #expect(try setup.outcome() == "rolled-back\n")
        #expect(try setup.live() == RulesetParser.parse(Self.good).normalized)
        #expect(try String(contentsOfFile: setup.folder.path + "/etc/rules.v4", encoding: .utf8) == Self.good, "a reboot loads the old rules too")
        let late = try setup.run(setup.rollback.confirmScript)
        #expect(late.status == FirewallRollback.tooLateStatus && late.output == "rolled-back\n")
    }

    @Test func theNewRulesAreLiveUntilConfirmedAndStayWithTheTimerGone() throws {
        let namespace = try ThrowawayNamespace()
        let setup = try Setup(in: namespace, timeoutSeconds: 600)
        defer { setup.folder.cleanup() }
        let changed = Self.good.replacingOccurrences(of: "--dport 123 ", with: "--dport 124 ")
        #expect(try setup.load(ipv4: changed).output == "armed\n")
        #expect(try setup.live() == RulesetParser.parse(changed).normalized)
        #expect(try String(contentsOfFile: setup.folder.path + "/etc/rules.v4", encoding: .utf8) == changed)
        #expect(try setup.outcome() == "pending\n")
        let timer = try String(contentsOfFile: RollbackScheduler.pidFile(unit: setup.rollback.unit, stateDirectory: setup.rollback.stateDirectory), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try setup.run("kill -0 \(timer)").status == 0, "the timer waits")
        let confirmed = try setup.run(setup.rollback.confirmScript)
        #expect(confirmed.status == 0 && confirmed.output == "confirmed\n")
        // Gone, or a zombie that this machine's PID 1 has not reaped yet: either way it will never run the restore.
        let ended = #"state=$(awk '{print $3}' /proc/\#(timer)/stat 2>/dev/null); [ -z "$state" ] || [ "$state" = Z ]"#
        #expect(try setup.eventually { try setup.run(ended).status == 0 }, "confirming stopped the timer")
        #expect(try setup.outcome() == "confirmed\n")
        #expect(try setup.live() == RulesetParser.parse(changed).normalized)
    }

    @Test func rearmingReplacesTheTimerWithAFullOneAndConfirmingStopsThatOne() throws {
        let namespace = try ThrowawayNamespace()
        let setup = try Setup(in: namespace, timeoutSeconds: 600)
        defer { setup.folder.cleanup() }
        #expect(try setup.load(ipv4: Self.lockout).output == "armed\n")
        let firstPID = RollbackScheduler.pidFile(unit: setup.rollback.unit, stateDirectory: setup.rollback.stateDirectory)
        let secondPID = RollbackScheduler.pidFile(unit: setup.rollback.rearmedUnit, stateDirectory: setup.rollback.stateDirectory)
        let first = try String(contentsOfFile: firstPID, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try setup.run(setup.rollback.rearmScript).status == 0)
        // The pid file is written before the rearm returns.
        let second = try String(contentsOfFile: secondPID, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let ended = { (pid: String) in #"state=$(awk '{print $3}' /proc/\#(pid)/stat 2>/dev/null); [ -z "$state" ] || [ "$state" = Z ]"# }
        #expect(try setup.run(ended(first)).status == 0, "the first timer still counts down")
        #expect(try setup.run("kill -0 \(second)").status == 0, "no timer waits after the rearm")
        #expect(try setup.outcome() == "pending\n")
        #expect(try setup.run(setup.rollback.confirmScript).output == "confirmed\n")
        #expect(try setup.eventually { try setup.run(ended(second)).status == 0 }, "confirming left the rearmed timer running")
        // Once an outcome is in, a rearm starts nothing.
        try FileManager.default.removeItem(atPath: secondPID)
        #expect(try setup.run(setup.rollback.rearmScript).status == 0)
        // A timer's pid file is written before the rearm script returns, so its absence now is final.
        #expect(!FileManager.default.fileExists(atPath: secondPID), "a confirmed change was armed again")
    }

    @Test func rulesTheKernelRefusesChangeNothingAndArmNothing() throws {
        let namespace = try ThrowawayNamespace()
        let setup = try Setup(in: namespace)
        defer { setup.folder.cleanup() }
        let broken = Self.good.replacingOccurrences(of: "-j TCPMSS --set-mss 1240", with: "-j TCPMSS --clamp-mss-to-nowhere")
        try #require(broken != Self.good, "the rendered rules no longer hold the MSS rule this test breaks")
        let result = try setup.load(ipv4: broken)
        #expect(result.status == FirewallRollback.rejectedStatus)
        #expect(result.error.contains("the IPv4 rules do not load (iptables-restore --test)"))
        #expect(try setup.live() == RulesetParser.parse(Self.good).normalized)
        #expect(try String(contentsOfFile: setup.folder.path + "/etc/rules.v4", encoding: .utf8) == Self.good)
        #expect(!FileManager.default.fileExists(atPath: setup.rollback.stateDirectory + "/restore.sh"), "no timer armed")
        #expect(try setup.outcome() == "pending\n")
    }

    @Test func aTableOnlyTheNewRulesHaveIsClearedByTheRollback() throws {
        let namespace = try ThrowawayNamespace()
        let setup = try Setup(in: namespace)
        defer { setup.folder.cleanup() }
        // Start from a host that never had a nat table; the new rules bring one.
        #expect(try setup.run("iptables -t nat -F; iptables-restore <<'EOF'\n*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\nEOF").status == 0)
        let before = try setup.live()
        #expect(try setup.load(ipv4: Self.lockout).output == "armed\n", "the nat table was loaded")
        try setup.waitForTimer()
        #expect(try setup.live() == before)
    }
}
