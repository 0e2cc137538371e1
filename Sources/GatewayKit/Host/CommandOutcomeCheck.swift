import Foundation
import Logging

/// Limits every transport applies before anything is started.
enum CommandLimits {
    /// Linux refuses a single argument over 128 KiB (MAX_ARG_STRLEN); say so before exec does, obscurely.
    static let maximumScriptBytes = 120 * 1024

    static func check(_ script: String, on target: String) throws {
        guard script.utf8.count <= maximumScriptBytes else {
            throw TransportError.invalidRequest(
                "\(target): script of \(script.utf8.count) bytes is over the \(maximumScriptBytes)-byte limit of one argument; send data over stdin")
        }
        guard !script.contains("\0") else {
            throw TransportError.invalidRequest("\(target): script contains a NUL byte, which no argument can carry")
        }
    }
}

/// Turns a finished process into a result or a one-line error, and logs it without stdin.
enum CommandOutcomeCheck {
    static func result(
        of outcome: ProcessOutcome,
        script: String,
        stdinBytes: Int,
        timeout: Duration,
        target: String,
        root: RootStrategy,
        logger: Logger
    ) throws -> CommandResult {
        let summary = script.commandSummary
        let result = CommandResult(status: outcome.status, stdout: outcome.stdout, stderr: outcome.stderr)
        logger.debug("ran command", metadata: [
            LogKey.gateway: "\(target)",
            LogKey.command: "\(summary)",
            LogKey.status: "\(outcome.status)",
            LogKey.durationMilliseconds: "\(outcome.duration.milliseconds)",
            LogKey.stdinBytes: "\(stdinBytes)",
            LogKey.stdoutBytes: "\(outcome.stdout.count)",
        ])
        if outcome.cancelled { throw TransportError.cancelled(target: target, command: summary) }
        if outcome.timedOut { throw TransportError.timedOut(target: target, command: summary, after: timeout) }
        if root != .asIs, let reason = RootStrategy.refusal(in: result) {
            throw TransportError.privilegeEscalationFailed(target: target, reason: reason)
        }
        return result
    }
}

extension Duration {
    /// Whole milliseconds, for log fields and statistics.
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
