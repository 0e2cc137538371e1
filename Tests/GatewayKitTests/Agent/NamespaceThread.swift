import Foundation
import Synchronization

/// Runs a closure on a fresh thread that has entered a network namespace (setns switches only the calling
/// thread), so sockets it opens live in that namespace while the test process stays where it is.
enum NamespaceThread {
    /// Starts `body` in namespace `name` and returns without waiting; `body` runs until it returns.
    static func start(in name: String, _ body: @escaping @Sendable (_ entered: Bool) -> Void) {
        let thread = Thread {
            let fd = open("/var/run/netns/\(name)", O_RDONLY)
            let entered = fd >= 0 && setns(fd, CLONE_NEWNET) == 0
            if fd >= 0 { close(fd) }
            body(entered)
        }
        thread.start()
    }

    /// Runs `body` in namespace `name` and waits for its result.
    static func run<T: Sendable>(in name: String, _ body: @escaping @Sendable () throws -> T) throws -> T {
        let result = Mutex<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        start(in: name) { entered in
            let outcome = Result { () throws -> T in
                guard entered else { throw NamespaceError(message: "setns into \(name) failed") }
                return try body()
            }
            result.withLock { $0 = outcome }
            done.signal()
        }
        done.wait()
        return try result.withLock { $0! }.get()
    }
}
