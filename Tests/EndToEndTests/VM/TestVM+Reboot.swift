import Foundation
@testable import GatewayKit

extension TestVM {
    /// Reboots the guest (qemu keeps running, so its -snapshot disk keeps what was written) and returns once a new
    /// boot answers SSH; the boot id proves it really rebooted rather than answering before it went down.
    func reboot(timeout: Duration = .seconds(300)) async throws {
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
}
