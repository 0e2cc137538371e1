import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A long-running child (qemu and its watchdog, sshd) that a test starts, polls and kills by PID itself, reaping it
/// with waitpid, outside Foundation's Process: Foundation notices a child's exit when a descriptor it inherited
/// closes, and sshd closes them all at start-up, so Foundation's monitor would block in wait4 on a running daemon.
public enum ChildProcess {
    /// posix_spawn refused to start the program.
    public struct SpawnFailed: Error, CustomStringConvertible {
        public var description: String
    }

    /// POSIX_SPAWN_SETSID (glibc 2.26+), which Swift's Glibc module does not export.
    private static let posixSpawnSetSID: Int32 = 0x80

    /// Starts `executable` with stdin from /dev/null and stdout+stderr appended to `outputFile`.
    /// `newSession` puts it in its own process group, out of reach of the terminal's Ctrl-C.
    public static func spawn(_ executable: String, _ arguments: [String], outputFile: String, newSession: Bool = false) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputFile, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        let flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) | (newSession ? posixSpawnSetSID : 0)
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw SpawnFailed(description: "posix_spawn \(executable): \(String(cString: strerror(result)))")
        }
        return pid
    }

    /// The exit status if `pid` has ended (and reaps it), nil while it runs.
    public static func exitStatus(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid { return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f) }
        return result < 0 ? -1 : nil  // -1: already reaped, or not our child
    }

    /// SIGTERM, up to `grace` to exit, then SIGKILL; always reaps, so no zombie is left behind.
    public static func terminate(_ pid: pid_t, group: Bool = false, grace: Duration = .seconds(5)) {
        let target = group ? -pid : pid
        guard exitStatus(pid) == nil else { return }
        kill(target, SIGTERM)
        let deadline = ContinuousClock.now.advanced(by: grace)
        while ContinuousClock.now < deadline {
            if exitStatus(pid) != nil { return }
            usleep(20_000)
        }
        kill(target, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }
}
