import Foundation

/// Why talking to a gateway failed, each as one line that names the gateway and says what to do.
public enum TransportError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// The connection could not be made or was refused; `where` reads like `ssh root@gw1 port 22`.
    case connectionFailed(where: String, reason: String)
    /// The master connection was never opened or has gone away.
    case notConnected(target: String)
    /// The command ran longer than its timeout and its process group was killed.
    case timedOut(target: String, command: String, after: Duration)
    /// The awaiting task was cancelled and the command's process group was killed.
    case cancelled(target: String, command: String)
    /// Root was needed and `sudo -n` refused (no NOPASSWD rule, no sudo).
    case privilegeEscalationFailed(target: String, reason: String)
    /// The local program (ssh, sh, sudo) could not be started.
    case launchFailed(executable: String, reason: String)
    /// A script, path or target that cannot be sent safely.
    case invalidRequest(String)

    public var description: String {
        switch self {
        case let .connectionFailed(place, reason):
            return "\(place): \(reason)"
        case let .notConnected(target):
            return "\(target): not connected (connect() was not called or the master connection went away)"
        case let .timedOut(target, command, after):
            return "\(target): `\(command)` timed out after \(after.formattedSeconds) and was killed"
        case let .cancelled(target, command):
            return "\(target): `\(command)` was cancelled and killed"
        case let .privilegeEscalationFailed(target, reason):
            return "\(target): cannot become root: \(reason)"
        case let .launchFailed(executable, reason):
            return "cannot start \(executable): \(reason)"
        case let .invalidRequest(reason):
            return reason
        }
    }

    public var errorDescription: String? { description }
}

extension Duration {
    /// `1.5s`-style text for messages.
    var formattedSeconds: String {
        let seconds = Double(components.seconds) + Double(components.attoseconds) / 1e18
        return seconds == seconds.rounded() ? "\(Int(seconds))s" : String(format: "%.1fs", seconds)
    }
}

extension String {
    /// The last non-blank line, trimmed: what a tool said last is usually why it failed.
    var lastMeaningfulLine: String? {
        split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .last { !$0.isEmpty }
    }

    /// The first non-blank line of a script, shortened: names a command in a message without dumping it.
    var commandSummary: String {
        let line = split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .first { !$0.isEmpty } ?? ""
        return line.count > 60 ? String(line.prefix(57)) + "..." : line
    }
}
