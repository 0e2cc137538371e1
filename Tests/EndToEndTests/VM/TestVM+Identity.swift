import Foundation
import TestSupport
@testable import GatewayKit

extension TestVM {
    /// Gives an overlay of a shared image the keys of a machine of its own: new SSH host keys (and this VM's known_hosts
    /// follows them over the connection that still trusts the old one) and a new secret for every fastd instance, so two
    /// gateways of one test never share a key a mesh router or an admin tells them apart by.
    func renewIdentity() async throws {
        let script = """
            set -e
            rm -f /etc/ssh/ssh_host_*_key /etc/ssh/ssh_host_*_key.pub
            ssh-keygen -A >/dev/null
            for secret in /etc/fastd/*/secret.conf; do
                [ -f "$secret" ] || continue
                key=$(fastd --generate-key --machine-readable)
                [ ${#key} -eq 64 ]
                umask 077
                printf 'secret "%s";\\n' "$key" > "$secret.new" && mv -f "$secret.new" "$secret"
                systemctl try-restart "fastd@$(basename "$(dirname "$secret")").service"
            done
            systemctl restart ssh.service
            cat /etc/ssh/ssh_host_ed25519_key.pub
            """
        let hostKey = try await run(script, timeout: .seconds(300))
            .split(separator: " ").prefix(2).joined(separator: " ")
        guard hostKey.hasPrefix("ssh-ed25519 ") else {
            throw VMError.commandFailed(name: name, command: "renew identity", result: "no new ed25519 host key: \(hostKey)")
        }
        try "[127.0.0.1]:\(sshPort) \(hostKey)\n\(name) \(hostKey)\n"
            .write(toFile: knownHostsFile, atomically: true, encoding: .utf8)
    }

    /// Shuts the guest down cleanly and waits for qemu to exit, so a disk that keeps its writes is left consistent.
    func powerOff(timeout: Duration = .seconds(600)) async throws {
        _ = try? await ssh("systemd-run --on-active=1 systemctl poweroff", timeout: .seconds(60))
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ChildProcess.exitStatus(pid) == nil {
            guard ContinuousClock.now < deadline else {
                throw VMError.commandFailed(name: name, command: "poweroff", result: "qemu still running after \(timeout)")
            }
            try await Task.sleep(for: .seconds(1))
        }
    }
}
