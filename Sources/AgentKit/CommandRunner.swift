#if canImport(Glibc)
import Glibc
#endif

/// Runs the few host commands a drain needs (batctl, systemctl); a protocol so the drain's order is testable.
public protocol CommandRunner: Sendable {
    /// The exit status; -1 when the program could not start.
    func run(_ arguments: [String]) -> Int32
}

/// posix_spawnp with the agent's PATH, stdin from /dev/null, output inherited (journald under systemd), waited for.
public struct SpawnedCommands: CommandRunner {
    public init() {}

    public func run(_ arguments: [String]) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var pid: pid_t = 0
        guard ChildSpawn.start(&pid, arguments, actions: &actions, environment: environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
