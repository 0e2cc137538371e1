import Foundation
import Synchronization

/// Runs a closure on a fresh thread that has entered a network namespace (setns switches only the calling
/// thread), so sockets it opens live in that namespace while the test process stays where it is.
enum NamespaceThread {
    /// CLONE_NEWNET from <sched.h>, which Swift's Glibc module leaves out without _GNU_SOURCE.
    private static let newNetworkNamespace: Int32 = 0x4000_0000

    /// glibc's setns(2), found at run time: its declaration needs _GNU_SOURCE, which Swift's Glibc module lacks.
    private static func setns(_ fd: Int32, _ type: Int32) -> Int32 {
        typealias SetNS = @convention(c) (Int32, Int32) -> Int32
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "setns") else { return -1 }
        return unsafeBitCast(symbol, to: SetNS.self)(fd, type)
    }

    /// Starts `body` in namespace `name` and returns without waiting; `body` runs until it returns.
    static func start(in name: String, _ body: @escaping @Sendable (_ entered: Bool) -> Void) {
        let thread = Thread {
            let fd = open("/var/run/netns/\(name)", O_RDONLY)
            let entered = fd >= 0 && setns(fd, newNetworkNamespace) == 0
            if fd >= 0 { close(fd) }
            body(entered)
        }
        thread.start()
    }

    /// Runs `setUp` in namespace `name` on a thread of its own and waits for it (rethrowing its error); the work it
    /// returns then goes on in that thread. The semaphore is signalled when the work is done.
    static func launch(in name: String, _ setUp: @escaping @Sendable () throws -> () -> Void) throws -> DispatchSemaphore {
        let ready = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)
        let failure = Mutex<String?>(nil)
        start(in: name) { entered in
            var work: (() -> Void)?
            do {
                guard entered else { throw NamespaceError(message: "setns into \(name) failed") }
                work = try setUp()
            } catch {
                failure.withLock { $0 = "\(error)" }
            }
            ready.signal()
            work?()
            finished.signal()
        }
        ready.wait()
        if let message = failure.withLock({ $0 }) { throw NamespaceError(message: message) }
        return finished
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
