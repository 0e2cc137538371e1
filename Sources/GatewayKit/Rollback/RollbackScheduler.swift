/// How the rollback is run later, detached from the SSH session that armed it.
public enum RollbackScheduler: Sendable, Equatable {
    /// A transient systemd timer (`systemd-run --on-active`): survives the session, the shell and gwsetup dying.
    case systemdRun
    /// A detached `sleep; restore` in its own session, for hosts without systemd as PID 1 (containers, tests).
    case detachedShell

    /// The shell that starts `script` after `seconds` and returns at once; `stateDirectory` keeps what `disarm` needs.
    func arm(_ script: String, after seconds: Int, unit: String, stateDirectory: String) -> String {
        switch self {
        case .systemdRun:
            return "systemd-run --quiet --collect --unit=\(ShellQuote.quote(unit)) --on-active=\(seconds)s --timer-property=AccuracySec=1s /bin/sh \(ShellQuote.quote(script))"
        case .detachedShell:
            // setsid makes the shell a process-group leader, so disarm can end it and its sleep together. It closes
            // every inherited descriptor (bash: dash cannot name fds above 9): an open pipe of whoever ran the load
            // would otherwise keep that caller waiting until the timer ends. The pid file is written before arm
            // returns (setsid execs in place, so `$!` is the group's id): a disarm right after always finds it.
            let body = #"for fd in /proc/$$/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done 2>/dev/null; "#
                + "sleep \(seconds) && exec /bin/sh \(ShellQuote.quote(script))"
            let pidFile = ShellQuote.quote(Self.pidFile(unit: unit, stateDirectory: stateDirectory))
            return "( setsid /bin/bash -c \(ShellQuote.quote(body)) </dev/null >/dev/null 2>&1 & echo $! > \(pidFile) )"
        }
    }

    /// The shell that stops a pending run; the confirm file makes a run that slips through do nothing anyway.
    func disarm(unit: String, stateDirectory: String) -> String {
        switch self {
        case .systemdRun:
            return "systemctl stop \(ShellQuote.quote(unit + ".timer")) >/dev/null 2>&1 || true"
        case .detachedShell:
            let pidFile = ShellQuote.quote(Self.pidFile(unit: unit, stateDirectory: stateDirectory))
            return "[ -s \(pidFile) ] && kill -- -\"$(cat \(pidFile))\" 2>/dev/null || true"
        }
    }

    /// Where a detached timer keeps its process group's id, one file per timer so a re-armed one never ends the new one.
    static func pidFile(unit: String, stateDirectory: String) -> String { "\(stateDirectory)/\(unit).pid" }
}
