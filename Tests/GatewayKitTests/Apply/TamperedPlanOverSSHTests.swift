import Foundation
import Testing
@testable import GatewayKit
import TestSupport

/// `apply --plan` with an edited plan file, through the built binary against a real sshd on loopback. The test sshd
/// records every command it receives (and its stdin) and runs only the read-only probe, so even a broken check
/// could not install anything on this machine; a refused command would show up in the record.
@Suite("An edited saved plan is refused, and nothing from it reaches the gateway", .serialized)
final class TamperedPlanOverSSHTests {
    let directory: String

    init() throws {
        directory = try Shell.temporaryDirectory()
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A ForceCommand that appends what arrives to `received` and runs it only when it is the probe.
    static func recorder(_ serverDirectory: String) -> String {
        let script = "\(serverDirectory)/record.sh"
        let body = """
            #!/bin/sh
            log=\(serverDirectory)/received
            printf '=== command\\n%s\\n=== stdin\\n' "$SSH_ORIGINAL_COMMAND" >> "$log"
            cat >> "$log"
            case $SSH_ORIGINAL_COMMAND in
                *"gwsetup-probe 1"*) exec /bin/sh -c "$SSH_ORIGINAL_COMMAND" ;;
                *) echo '=== refused' >> "$log"; echo 'test sshd runs only the probe' >&2; exit 99 ;;
            esac

            """
        _ = FileManager.default.createFile(atPath: script, contents: Data(body.utf8), attributes: [.posixPermissions: 0o755])
        return "ForceCommand \(script)\n"
    }

    enum Edit: String, CaseIterable, CustomTestStringConvertible {
        case extraDashPackage, triggerWithShell, extraUser, droppedFirewallChange
        var testDescription: String { rawValue }
    }

    /// The plan file's changes of the one gateway, edited the way an attacker (or a careless hand) would.
    static func tamper(_ file: String, _ edit: Edit) throws {
        var root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
        var plans = try #require(root["plans"] as? [[String: Any]])
        var changes = try #require(plans[0]["changes"] as? [[String: Any]])
        switch edit {
        case .extraDashPackage:
            changes.insert(["action": "add", "kind": "package", "resource": "-oDpkg::Pre-Invoke::=touch /tmp/gwsetup-pwned", "reason": "not installed",
                            "triggers": [String]()], at: 0)
        case .triggerWithShell:
            let index = try #require(changes.firstIndex { ($0["kind"] as? String) == "service" })
            changes[index]["triggers"] = ["command systemctl daemon-reload; touch /tmp/gwsetup-pwned"]
        case .extraUser:
            changes.insert(["action": "add", "kind": "user", "resource": "mallory", "reason": "admin account missing (groups: sudo)",
                            "triggers": [String]()], at: 0)
        case .droppedFirewallChange:
            changes.removeAll { ($0["resource"] as? String) == DesiredState.firewallRulesPath(.ipv4) }
        }
        plans[0]["changes"] = changes
        root["plans"] = plans
        try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys]).write(to: URL(fileURLWithPath: file))
    }

    static let expected: [Edit: String] = [
        .extraDashPackage: "the saved plan for gw1 differs from what the site and gw1 need now: + package '-oDpkg::Pre-Invoke::=touch /tmp/gwsetup-pwned' is not what the site asks for; run plan again",
        .triggerWithShell: "triggers[0] is not a value gwsetup writes",
        .extraUser: "the saved plan for gw1 differs from what the site and gw1 need now: + user 'mallory' is not what the site asks for; run plan again",
        .droppedFirewallChange: "the saved plan for gw1 differs from what the site and gw1 need now: + file '/etc/gwsetup/firewall/rules.v4' is missing from the saved plan; run plan again",
    ]

    @Test(arguments: Edit.allCases)
    func anEditedPlanIsRefusedWithOneLineAndTheGatewayGetsOnlyTheProbe(edit: Edit) async throws {
        let site = try String(contentsOfFile: TestPaths.example("single-gateway.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "ssh: root@gw1.ffx.example", with: "ssh: \(SSHServer.alias)")
        let sitePath = "\(directory)/site.yaml"
        try site.write(toFile: sitePath, atomically: true, encoding: .utf8)
        let planPath = "\(directory)/plan.json"
        try await SSHServer.with(extraConfig: Self.recorder) { server in
            let common = "--site '\(sitePath)' --ssh-config '\(server.clientConfig)'"
            let log = "\(server.directory)/received"
            func commandsReceived() -> Int {
                ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").components(separatedBy: "=== command\n").count - 1
            }
            var result = Shell.Result(status: -1, output: "")
            var sentByApply = 0
            // Another test loading a kernel module between the two probes makes the plan stale, not different: plan again.
            for _ in 0..<3 {
                let saved = try Shell.run("'\(TestPaths.gwsetupBinary)' plan \(common) --out '\(planPath)' </dev/null >/dev/null")
                try #require(saved.status == 0, "plan --out failed: \(saved.output)")
                try Self.tamper(planPath, edit)
                let before = commandsReceived()
                result = try Shell.run("'\(TestPaths.gwsetupBinary)' apply \(common) --plan '\(planPath)' --yes </dev/null")
                sentByApply = commandsReceived() - before
                if !result.output.contains("the plan is stale") { break }
            }
            #expect(result.status == 1)
            let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
            #expect(lines.count == 1, "one line, not \(result.output)")
            #expect(result.output.hasPrefix("error: \(planPath): "))
            #expect(result.output.contains(try #require(Self.expected[edit])), "\(result.output)")

            let received = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            #expect(!received.contains("=== refused"), "something other than the probe was sent")
            for word in ["-oDpkg", "gwsetup-pwned", "mallory", "gw_packages", "gw_user", "apt-get install"] {
                #expect(!received.contains(word), "the gateway received \(word)")
            }
            // An edit the file itself betrays is refused before apply connects; a dropped change needs the fresh facts,
            // so apply sends the probe and nothing else.
            #expect(sentByApply == (edit == .droppedFirewallChange ? 1 : 0))
        }
    }
}
