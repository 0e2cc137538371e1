import Foundation
@testable import GatewayKit

extension TestVM {
    /// Reboots the guest (qemu keeps running, so its -snapshot disk keeps what was written) and returns once a new
    /// boot answers SSH; the boot id proves it really rebooted rather than answering before it went down.
    func reboot(timeout: Duration = .seconds(600)) async throws {
        let before = try await run("cat /proc/sys/kernel/random/boot_id")
        _ = try? await ssh("systemd-run --on-active=1 systemctl reboot", timeout: .seconds(30))
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            try await Task.sleep(for: .seconds(3))
            if let now = try? await ssh("cat /proc/sys/kernel/random/boot_id", timeout: .seconds(30)),
               now.succeeded, now.stdoutText != before {
                return
            }
        }
        throw VMError.sshNeverAnswered(name: name, waited: timeout, consoleTail: consoleTail(), consoleLog: consoleLog)
    }

    /// Waits until systemd has finished booting (every start job done): a unit still activating is not active yet,
    /// and a plan taken earlier would rightly say so.
    func waitForBoot(timeout: Duration = .seconds(600)) async throws {
        let state = try await ssh("systemctl is-system-running --wait", timeout: timeout)
        let word = state.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        guard ["running", "degraded"].contains(word) else {
            throw VMError.commandFailed(name: name, command: "systemctl is-system-running --wait", result: "\(word) \(state.stderrText)")
        }
    }
}
