import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How commands gain root when the login user is not root: `sudo -n`, which fails instead of prompting.
public enum RootStrategy: Sendable, Equatable {
    /// Run as the login user; for root logins and for commands that need no root.
    case asIs
    /// Always through `sudo -n`.
    case sudo
    /// Through `sudo -n` only when the user running the command is not uid 0, decided where it runs.
    case automatic

    static let sudoPath = "/usr/bin/sudo"

    /// The argv that runs `script` on this machine.
    func localInvocation(of script: String) -> (executable: String, arguments: [String]) {
        let direct = ("/bin/sh", ["-c", script])
        let viaSudo = (Self.sudoPath, ["-n", "/bin/sh", "-c", script])
        switch self {
        case .asIs: return direct
        case .sudo: return viaSudo
        case .automatic: return geteuid() == 0 ? direct : viaSudo
        }
    }

    /// The one string ssh hands to the remote login shell; the script is a single quoted word inside it.
    ///
    /// coreutils' `timeout` (Essential on Debian) runs inside sudo, as root: killing the local ssh client does not
    /// end a remote command, so the gateway must enforce the deadline itself and kill the script's process group.
    func remoteCommand(for script: String, timeout: Duration) -> String {
        let quoted = ShellQuote.quote(script)
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        let limited = "timeout -k 2 \(String(format: "%.3f", max(seconds, 0.001))) /bin/sh -c \(quoted)"
        switch self {
        case .asIs:
            return "exec \(limited)"
        case .sudo:
            return "exec sudo -n \(limited)"
        case .automatic:
            return #"set -- \#(limited); [ "$(id -u)" = 0 ] || set -- sudo -n "$@"; exec "$@""#
        }
    }

    /// sudo's own refusal in a failed command's stderr, as a reason a person can act on; nil when sudo did not refuse.
    static func refusal(in result: CommandResult) -> String? {
        guard result.status != 0 else { return nil }
        let lines = result.stderrText.split(whereSeparator: \.isNewline)
        if result.status == 127, lines.contains(where: { $0.hasPrefix("sudo: not found") || $0.contains("sudo: command not found") }) {
            return "sudo is not installed; log in as root or install sudo"
        }
        let markers = ["a password is required", "a terminal is required", "not in the sudoers", "is not allowed to execute"]
        guard let line = lines.first(where: { line in line.hasPrefix("sudo: ") && markers.contains { line.contains($0) } })
        else { return nil }
        return "sudo -n refused (\(line.dropFirst(6))); give this user a NOPASSWD sudo rule or log in as root"
    }
}
