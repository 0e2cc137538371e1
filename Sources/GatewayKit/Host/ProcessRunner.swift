import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// What a child process left behind once it ended (or was ended).
struct ProcessOutcome: Sendable {
    /// Exit status, or 128 + signal number when a signal ended it (as shells report it).
    var status: Int32
    var stdout: Data
    var stderr: Data
    /// Set when the deadline passed and the process group was killed.
    var timedOut: Bool
    /// Set when the calling task was cancelled and the process group was killed.
    var cancelled: Bool
    var duration: Duration
}

/// Runs one program with stdin bytes, draining stdout and stderr concurrently so large outputs cannot deadlock.
///
/// posix_spawn + poll(2) on a dedicated thread rather than Foundation's Process, for three reasons: the child gets
/// its own session and process group, so a timeout kills the whole tree (a script's `sleep` too) and the pipes reach EOF;
/// stdin, stdout and stderr are served by one poll loop, so a child that writes megabytes before reading its
/// input cannot block us; and blocking work stays off Swift's small cooperative thread pool.
enum ProcessRunner {
    /// POSIX_SPAWN_SETSID (glibc 2.26+), which Swift's Glibc module does not export.
    private static let posixSpawnSetSID: Int32 = 0x80

    /// How long a process group gets between SIGTERM and SIGKILL after a timeout or cancellation.
    static let killGrace: Duration = .seconds(2)

    static func run(
        executable: String,
        arguments: [String],
        environment: [String: String]? = nil,
        stdin: Data,
        timeout: Duration
    ) async throws -> ProcessOutcome {
        guard let cancelPipe = LinuxCalls.closeOnExecPipe() else {
            throw TransportError.launchFailed(executable: executable, reason: String(cString: strerror(errno)))
        }
        let canceller = Canceller(readFD: cancelPipe.read, writeFD: cancelPipe.write)
        let env = environment ?? ProcessInfo.processInfo.environment
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ProcessOutcome, Error>) in
                let thread = Thread {
                    let result = Result {
                        try runBlocking(executable: executable, arguments: arguments, environment: env,
                                        stdin: stdin, timeout: timeout, cancelFD: canceller.readFD)
                    }
                    canceller.close()
                    continuation.resume(with: result)
                }
                thread.name = "gwsetup-process"
                thread.start()
            }
        } onCancel: {
            canceller.fire()
        }
    }

    /// Wakes the poll loop from another thread when the awaiting task is cancelled.
    private final class Canceller: Sendable {
        let readFD: Int32
        let writeFD: Int32
        private let state = Mutex<Bool>(false)  // closed

        init(readFD: Int32, writeFD: Int32) {
            self.readFD = readFD
            self.writeFD = writeFD
        }

        func fire() {
            state.withLock { closed in
                guard !closed else { return }
                var byte: UInt8 = 1
                _ = Glibc.write(writeFD, &byte, 1)
            }
        }

        func close() {
            state.withLock { closed in
                guard !closed else { return }
                closed = true
                _ = Glibc.close(readFD)
                _ = Glibc.close(writeFD)
            }
        }
    }

    // MARK: - The blocking part, on its own thread

    /// Internal (not private) so tests' synchronous helpers can run commands without Foundation's Process,
    /// whose pipes hang when many tests spawn at once; call it on a thread of your own (it blocks SIGPIPE there).
    static func runBlocking(
        executable: String,
        arguments: [String],
        environment: [String: String],
        stdin: Data,
        timeout: Duration,
        cancelFD: Int32
    ) throws -> ProcessOutcome {
        let clock = ContinuousClock()
        let started = clock.now

        // A write to a pipe whose reader has gone raises SIGPIPE in the writing thread; blocked here, the
        // write fails with EPIPE instead, and this thread is ours alone.
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)

        guard let input = LinuxCalls.closeOnExecPipe() else { throw launchError(executable) }
        guard let output = LinuxCalls.closeOnExecPipe() else {
            closeAll(input.read, input.write)
            throw launchError(executable)
        }
        guard let errors = LinuxCalls.closeOnExecPipe() else {
            closeAll(input.read, input.write, output.read, output.write)
            throw launchError(executable)
        }

        let pid: pid_t
        do {
            pid = try spawn(executable: executable, arguments: arguments, environment: environment,
                            stdin: input.read, stdout: output.write, stderr: errors.write)
        } catch {
            closeAll(input.read, input.write, output.read, output.write, errors.read, errors.write)
            throw error
        }
        closeAll(input.read, output.write, errors.write)

        var stdinFD: Int32 = input.write
        var stdoutFD: Int32 = output.read
        var stderrFD: Int32 = errors.read
        for fd in [stdinFD, stdoutFD, stderrFD] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }

        var stdoutData = Data()
        var stderrData = Data()
        var written = 0
        if stdin.isEmpty { closeAll(stdinFD); stdinFD = -1 }

        let deadline = started.advanced(by: timeout)
        var killStage = 0  // 0 running, 1 SIGTERM sent, 2 SIGKILL sent
        var killDeadline = deadline
        var timedOut = false
        var cancelled = false
        var buffer = [UInt8](repeating: 0, count: 65536)
        var reapedStatus: Int32?
        var drainDeadline: ContinuousClock.Instant?

        func escalate(now: ContinuousClock.Instant) {
            switch killStage {
            case 0:
                kill(-pid, SIGTERM)
                killStage = 1
                killDeadline = now.advanced(by: killGrace)
            case 1:
                kill(-pid, SIGKILL)
                killStage = 2
                killDeadline = now.advanced(by: killGrace)
            default:
                // Something outside the process group holds our pipes; stop waiting for it.
                if stdoutFD >= 0 { closeAll(stdoutFD); stdoutFD = -1 }
                if stderrFD >= 0 { closeAll(stderrFD); stderrFD = -1 }
            }
        }

        while stdoutFD >= 0 || stderrFD >= 0 {
            var fds: [pollfd] = []
            if stdinFD >= 0 { fds.append(pollfd(fd: stdinFD, events: Int16(POLLOUT), revents: 0)) }
            if stdoutFD >= 0 { fds.append(pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)) }
            if stderrFD >= 0 { fds.append(pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)) }
            if !cancelled { fds.append(pollfd(fd: cancelFD, events: Int16(POLLIN), revents: 0)) }

            let now = clock.now
            if reapedStatus == nil {
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid {
                    // The child is gone; whatever still holds our pipes (a daemon the script started without
                    // redirecting, or ssh's master holding a killed mux client's fds) gets a moment, not forever.
                    reapedStatus = status
                    drainDeadline = now.advanced(by: killStage > 0 ? .milliseconds(300) : .seconds(1))
                }
            }
            if let drainDeadline, now >= drainDeadline {
                if stdoutFD >= 0 { closeAll(stdoutFD); stdoutFD = -1 }
                if stderrFD >= 0 { closeAll(stderrFD); stderrFD = -1 }
                break
            }
            var limit = killStage == 0 ? deadline : killDeadline
            if reapedStatus == nil, now >= limit {
                if killStage == 0 { timedOut = !cancelled }
                escalate(now: now)
                continue
            }
            if let drainDeadline { limit = drainDeadline }
            // Without SIGCHLD (process-wide, not ours to take), the child's exit is noticed by looking every 100 ms;
            // pipe events still wake poll at once, so a normal command's latency does not change.
            let wait = min(milliseconds(until: limit, from: now), reapedStatus == nil ? 100 : Int32.max)
            let ready = poll(&fds, nfds_t(fds.count), wait)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            for entry in fds where entry.revents != 0 {
                if entry.fd == cancelFD {
                    cancelled = true
                    if killStage == 0 { escalate(now: clock.now) }
                } else if entry.fd == stdinFD {
                    let count = stdin.withUnsafeBytes { bytes in
                        Glibc.write(stdinFD, bytes.baseAddress! + written, min(65536, bytes.count - written))
                    }
                    if count > 0 { written += count }
                    if written == stdin.count || (count < 0 && errno != EAGAIN && errno != EINTR) {
                        closeAll(stdinFD)
                        stdinFD = -1
                    }
                } else {
                    let count = read(entry.fd, &buffer, buffer.count)
                    if count > 0 {
                        if entry.fd == stdoutFD {
                            stdoutData.append(contentsOf: buffer[0..<count])
                        } else {
                            stderrData.append(contentsOf: buffer[0..<count])
                        }
                    } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                        closeAll(entry.fd)
                        if entry.fd == stdoutFD { stdoutFD = -1 } else { stderrFD = -1 }
                    }
                }
            }
        }
        if stdinFD >= 0 { closeAll(stdinFD) }

        let rawStatus = reapedStatus ?? reap(pid: pid, clock: clock, deadline: killStage == 0 ? deadline : killDeadline)
        return ProcessOutcome(
            status: decode(rawStatus),
            stdout: stdoutData,
            stderr: stderrData,
            timedOut: timedOut,
            cancelled: cancelled,
            duration: clock.now - started
        )
    }

    /// Waits for the child after its pipes closed; one that outlives its own stdout is killed at the deadline.
    private static func reap(pid: pid_t, clock: ContinuousClock, deadline: ContinuousClock.Instant) -> Int32 {
        var status: Int32 = 0
        var pause: Int32 = 1
        var killed = false
        while true {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid { return status }
            if result < 0 && errno != EINTR { return 0x7f00 }  // lost; report as exit 127
            if !killed && clock.now >= deadline {
                kill(-pid, SIGKILL)
                killed = true
            }
            _ = poll(nil, 0, pause)
            pause = min(pause * 2, 50)
        }
    }

    private static func spawn(
        executable: String,
        arguments: [String],
        environment: [String: String],
        stdin: Int32,
        stdout: Int32,
        stderr: Int32
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        _ = LinuxCalls.addCloseFrom(&actions, lowest: 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        // A new session: its own process group for killing the whole tree, and no controlling terminal, so
        // neither ssh nor sudo can stop on (or prompt at) the user's terminal from the background.
        posix_spawnattr_setflags(&attributes, Int16(posixSpawnSetSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw TransportError.launchFailed(executable: executable, reason: String(cString: strerror(result)))
        }
        return pid
    }

    private static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    private static func milliseconds(until limit: ContinuousClock.Instant, from now: ContinuousClock.Instant) -> Int32 {
        let remaining = limit - now
        let ms = remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1
        return Int32(clamping: max(ms, 0))
    }

    private static func closeAll(_ fds: Int32...) {
        for fd in fds where fd >= 0 { _ = Glibc.close(fd) }
    }

    private static func launchError(_ executable: String) -> TransportError {
        .launchFailed(executable: executable, reason: String(cString: strerror(errno)))
    }
}
