#if canImport(Glibc)
import Glibc
#endif

/// What a helper printed and how it ended: a service that reads a command's answer must tell a failure (and why,
/// for its event) from an empty answer, which CommandOutput's nil cannot.
public struct CommandCapture: Sendable, Equatable {
    /// The exit status; -1 when the program could not start, ran past its time or printed too much; 128+N after signal N.
    public var status: Int32
    public var output: String
    /// The start of stderr, enough for an event's message.
    public var errorOutput: String

    public init(status: Int32, output: String = "", errorOutput: String = "") {
        self.status = status
        self.output = output
        self.errorOutput = errorOutput
    }

    public var succeeded: Bool { status == 0 }
}

/// Runs a helper from an argument vector (never a shell) and captures its output; a protocol so services are testable.
public protocol CapturingCommandRunner: Sendable {
    func capture(_ arguments: [String]) -> CommandCapture
}

/// posix_spawnp with a fixed PATH and LC_ALL=C (tools' output is parsed), stdin from /dev/null, stdout and stderr
/// drained together with poll() so neither pipe fills, and a time limit: a hung helper must not hang the run loop.
public struct SpawnedCapture: CapturingCommandRunner {
    public var timeoutMilliseconds: Int
    /// Output beyond this is a fault of the helper, not data.
    public var outputLimit: Int
    static let errorLimit = 4096

    public init(timeoutMilliseconds: Int = 10_000, outputLimit: Int = 4 << 20) {
        self.timeoutMilliseconds = timeoutMilliseconds
        self.outputLimit = outputLimit
    }

    public func capture(_ arguments: [String]) -> CommandCapture {
        guard let executable = arguments.first else { return CommandCapture(status: -1, errorOutput: "no command") }
        var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0 else { return CommandCapture(status: -1, errorOutput: "cannot create a pipe") }
        guard pipe(&errPipe) == 0 else {
            outPipe.forEach { close($0) }
            return CommandCapture(status: -1, errorOutput: "cannot create a pipe")
        }
        // Only the child's stdout and stderr (dup2 clears the flag) may hold the write ends, or EOF never comes.
        for end in outPipe + errPipe { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        let environment: [UnsafeMutablePointer<CChar>?] = [strdup("PATH=/usr/sbin:/usr/bin:/sbin:/bin"), strdup("LC_ALL=C"), nil]
        defer { environment.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = ChildSpawn.start(&pid, arguments, actions: &actions, environment: environment)
        close(outPipe[1])
        close(errPipe[1])
        defer {
            close(outPipe[0])
            close(errPipe[0])
        }
        guard spawned == 0 else { return CommandCapture(status: -1, errorOutput: "cannot start \(executable): \(String(cString: strerror(spawned)))") }

        var output: [UInt8] = [], errors: [UInt8] = []
        var fault: String?
        var watched = [pollfd(fd: outPipe[0], events: Int16(POLLIN), revents: 0), pollfd(fd: errPipe[0], events: Int16(POLLIN), revents: 0)]
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(timeoutMilliseconds)
        var chunk = [UInt8](repeating: 0, count: 16384)
        while fault == nil, watched.contains(where: { $0.fd >= 0 }) {
            let left = deadline - clock.now
            guard left > .zero else { fault = "timed out"; break }
            let (seconds, attoseconds) = left.components
            let wait = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
            let ready = poll(&watched, nfds_t(watched.count), wait)
            if ready < 0 && errno == EINTR { continue }
            if ready < 0 { fault = "poll failed"; break }
            for index in watched.indices where watched[index].fd >= 0 && watched[index].revents != 0 {
                let count = chunk.withUnsafeMutableBytes { read(watched[index].fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { watched[index].fd = -1; continue }
                if index == 0 {
                    if output.count + count > outputLimit { fault = "printed more than \(outputLimit) bytes"; break }
                    output += chunk.prefix(count)
                } else if errors.count < Self.errorLimit {
                    errors += chunk.prefix(min(count, Self.errorLimit - errors.count))
                }
            }
        }
        if fault != nil { kill(pid, SIGKILL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let errorText = String(decoding: errors, as: UTF8.self)
        if let fault { return CommandCapture(status: -1, output: "", errorOutput: "\(executable) \(fault)") }
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return CommandCapture(status: exit, output: String(decoding: output, as: UTF8.self), errorOutput: errorText)
    }
}
