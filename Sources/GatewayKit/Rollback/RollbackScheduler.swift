/// How the rollback is run later, detached from the SSH session that armed it.
public enum RollbackScheduler: Sendable, Equatable {
    /// A transient systemd timer (`systemd-run --on-active`): survives the session, the shell and gwsetup dying.
    case systemdRun
    /// A detached `sleep; restore` in its own session, for hosts without systemd as PID 1 (containers, tests).
    case detachedShell

    /// The shell that starts `script` after `seconds`, returning at once.
    func arm(_ script: String, after seconds: Int, unit: String) -> String {
        switch self {
        case .systemdRun:
            "systemd-run --quiet --collect --unit=\(ShellQuote.quote(unit)) --on-active=\(seconds)s --timer-property=AccuracySec=1s /bin/sh \(ShellQuote.quote(script))"
        case .detachedShell:
            "( setsid /bin/sh -c \(ShellQuote.quote("sleep \(seconds); exec /bin/sh \(ShellQuote.quote(script))")) </dev/null >/dev/null 2>&1 & )"
        }
    }

    /// The shell that stops a pending run; the confirm file makes a run that slips through do nothing anyway.
    func disarm(unit: String) -> String {
        switch self {
        case .systemdRun: "systemctl stop \(ShellQuote.quote(unit + ".timer")) >/dev/null 2>&1 || true"
        case .detachedShell: ":"
        }
    }
}
