import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts a long-running daemon with posix_spawn, outside Foundation's Process.
///
/// Foundation notices a child's exit when a descriptor the child inherited closes, then waits for it blocking.
/// sshd closes every inherited descriptor at start-up, so under Foundation its monitor thread would block in
/// wait4 on a daemon that keeps running, and every other Process in the test run would hang behind it.
public enum DaemonSpawn {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Returns the daemon's pid; stdin is /dev/null, stdout and stderr go to `logPath`. Reap it with waitpid.
    public static func start(_ executable: String, _ arguments: [String], logPath: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard result == 0 else { throw Failure(description: "posix_spawn \(executable): \(String(cString: strerror(result)))") }
        return pid
    }
}
