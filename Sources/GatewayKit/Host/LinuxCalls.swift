#if canImport(Glibc)
import Glibc

/// GNU-only libc calls Swift's Glibc module hides; looked up once so fds are close-on-exec atomically.
enum LinuxCalls {
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    private static let pipe2Function: Pipe2? = symbol("pipe2", as: Pipe2.self)
    private static let addCloseFromFunction: AddCloseFrom? =
        symbol("posix_spawn_file_actions_addclosefrom_np", as: AddCloseFrom.self)

    private static func symbol<F>(_ name: String, as type: F.Type) -> F? {
        guard let handle = dlopen(nil, RTLD_NOW), let pointer = dlsym(handle, name) else { return nil }
        return unsafeBitCast(pointer, to: type)
    }

    /// A pipe whose both ends are close-on-exec from birth, so no concurrently spawned child inherits them.
    static func closeOnExecPipe() -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [-1, -1]
        let result: Int32
        if let pipe2Function {
            result = fds.withUnsafeMutableBufferPointer { pipe2Function($0.baseAddress!, O_CLOEXEC) }
        } else {
            result = pipe(&fds)
            if result == 0 {
                _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
                _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
            }
        }
        return result == 0 ? (fds[0], fds[1]) : nil
    }

    /// Asks the spawn to close every fd from `lowest` on; returns false where glibc lacks it (before 2.34).
    static func addCloseFrom(_ actions: inout posix_spawn_file_actions_t, lowest: Int32) -> Bool {
        guard let addCloseFromFunction else { return false }
        return addCloseFromFunction(&actions, lowest) == 0
    }
}
#endif
