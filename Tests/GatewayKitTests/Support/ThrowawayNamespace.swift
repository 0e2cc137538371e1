import Foundation
import Synchronization
@testable import GatewayKit

/// Runs a command with text on stdin and returns its status and both outputs.
///
/// Through GatewayKit's posix_spawn runner on a thread of its own, not Foundation's Process: with many tests
/// spawning at once, Process left readers waiting on pipes that never reached EOF and children unreaped.
func runCommand(_ arguments: [String], input: String = "") throws -> (status: Int32, output: String, error: String) {
    let outcome = try runBlocking(executable: "/usr/bin/env", arguments: arguments, environment: ProcessInfo.processInfo.environment, input: input)
    return (outcome.status, String(decoding: outcome.stdout, as: UTF8.self), String(decoding: outcome.stderr, as: UTF8.self))
}

/// GatewayKit's runner on a thread of its own, so the test's thread only waits on a semaphore.
func runBlocking(executable: String, arguments: [String], environment: [String: String], input: String) throws -> ProcessOutcome {
    let result = Mutex<Result<ProcessOutcome, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        let outcome = Result { () throws -> ProcessOutcome in
            guard let cancel = LinuxCalls.closeOnExecPipe() else { throw NamespaceError(message: "pipe() failed") }
            defer { close(cancel.read); close(cancel.write) }
            return try ProcessRunner.runBlocking(executable: executable, arguments: arguments, environment: environment,
                                                 stdin: Data(input.utf8), timeout: .seconds(900), cancelFD: cancel.read)
        }
        result.withLock { $0 = outcome }
        done.signal()
    }
    thread.start()
    done.wait()
    return try result.withLock { $0! }.get()
}

/// A network namespace that exists for one test, so loading rules never touches the host's firewall.
struct ThrowawayNamespace: ~Copyable {
    let name = "gwtest-\(UInt32.random(in: 10000...99999))"

    init() throws {
        let created = try runCommand(["ip", "netns", "add", name])
        guard created.status == 0 else { throw NamespaceError(message: "ip netns add failed: \(created.error)") }
    }

    func exec(_ arguments: [String], input: String = "") throws -> (status: Int32, output: String, error: String) {
        try runCommand(["ip", "netns", "exec", name] + arguments, input: input)
    }

    deinit { _ = try? runCommand(["ip", "netns", "delete", name]) }
}

struct NamespaceError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

