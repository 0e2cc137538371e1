#if canImport(Glibc)
import Glibc
#endif

/// posix_spawnp with an empty signal mask: the run loop blocks SIGTERM for its signalfd, and a child must not inherit that.
enum ChildSpawn {
    /// Starts `arguments` (the first looked up in PATH); posix_spawnp's error, 0 once `pid` runs.
    static func start(_ pid: inout pid_t, _ arguments: [String], actions: inout posix_spawn_file_actions_t,
                      environment: UnsafePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        return posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, environment)
    }
}
