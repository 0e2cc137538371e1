import Foundation
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs scripts on a gateway through the system's OpenSSH client, over one master connection per run.
///
/// `connect()` opens the master (one TCP connection, one login); every `run` is then a multiplexed session on
/// it, which costs a round trip but no handshake. The user's ~/.ssh/config, agent, identities and ports apply;
/// gwsetup adds only what it must: `BatchMode=yes` so nothing prompts, strict host key checking unless told
/// otherwise, and a ControlPath in a private 0700 directory that `close()` removes.
public final class SSHTransport: Transport {
    /// What the tool's caller may choose beyond the target; defaults suit a person's own machine.
    public struct Options: Sendable {
        /// `-F FILE`: replaces ~/.ssh/config (tests use it to pin identity and known_hosts).
        public var configFile: String?
        public var hostKeyPolicy: HostKeyPolicy
        /// `UserKnownHostsFile`: replaces ~/.ssh/known_hosts.
        public var knownHostsFile: String?
        public var root: RootStrategy
        public var connectTimeout: Duration
        /// How long an orphaned master stays up if gwsetup dies without `close()`.
        public var persist: Duration
        public var sshExecutable: String
        /// `-i FILE`: an identity besides the agent's and the config's.
        public var identityFile: String?
        /// Extra `-o Key=Value` options, after gwsetup's own, for what neither the config nor a flag covers.
        public var extraOptions: [String]

        public init(
            configFile: String? = nil,
            hostKeyPolicy: HostKeyPolicy = .strict,
            knownHostsFile: String? = nil,
            root: RootStrategy = .automatic,
            connectTimeout: Duration = .seconds(10),
            persist: Duration = .seconds(600),
            sshExecutable: String = "/usr/bin/ssh",
            identityFile: String? = nil,
            extraOptions: [String] = []
        ) {
            self.configFile = configFile
            self.hostKeyPolicy = hostKeyPolicy
            self.knownHostsFile = knownHostsFile
            self.root = root
            self.connectTimeout = connectTimeout
            self.persist = persist
            self.sshExecutable = sshExecutable
            self.identityFile = identityFile
            self.extraOptions = extraOptions
        }
    }

    /// Strict by default: a gateway whose key changed may not be the gateway.
    public enum HostKeyPolicy: Sendable, Equatable {
        /// `StrictHostKeyChecking=yes`: the key must already be in known_hosts.
        case strict
        /// `StrictHostKeyChecking=accept-new`: first contact records the key; a changed key still fails.
        case acceptNew
        /// No check and nothing recorded: for throwaway test VMs whose key changes every boot, never for real gateways.
        case insecureSkip
        /// What the user's ssh_config asks, never weaker than strict: `accept-new` there is kept, anything else is `yes`.
        case userConfig
    }

    /// Counts that make "a no-op apply opens 1 connection and ≤ 2 round trips" observable.
    public struct Statistics: Sendable, Equatable {
        /// Master connections opened by `connect()`.
        public var mastersOpened = 0
        /// Connections opened by `runOverFreshConnection`, bypassing the master.
        public var freshConnections = 0
        /// Remote commands executed, over the master or fresh connections.
        public var roundTrips = 0

        public init() {}

        /// TCP connections and logins this transport caused.
        public var connectionsOpened: Int { mastersOpened + freshConnections }
    }

    private struct State {
        var controlDirectory: String?
        var masterPID: pid_t?
        var connecting = false
        var statistics = Statistics()
        /// ``HostKeyPolicy/userConfig`` as `ssh -G` read it, once per transport.
        var resolvedHostKeyPolicy: HostKeyPolicy?
    }

    public let target: SSHTarget
    public let options: Options
    public let logger: Logger
    private let state = Mutex(State())

    public init(target: SSHTarget, options: Options = Options(), logger: Logger = Logger(label: "gwsetup.host")) {
        self.target = target
        self.options = options
        self.logger = logger
    }

    deinit {
        // An instance dropped without close() must not leave a master running for `persist`.
        let leftover = state.withLock { ($0.controlDirectory, $0.masterPID) }
        if let pid = leftover.1 { kill(pid, SIGTERM) }
        if let directory = leftover.0 { try? FileManager.default.removeItem(atPath: directory) }
    }

    public var describe: String { "ssh \(target)" }

    public var statistics: Statistics { state.withLock { $0.statistics } }

    /// What `ssh -G` said for ``HostKeyPolicy/userConfig``; nil before the first connection.
    var resolvedUserConfigPolicy: HostKeyPolicy? { state.withLock { $0.resolvedHostKeyPolicy } }

    func setResolvedUserConfigPolicy(_ policy: HostKeyPolicy) { state.withLock { $0.resolvedHostKeyPolicy = policy } }

    /// The master ssh process while connected; tests kill it to see a lost master reported, not bypassed.
    var masterProcessID: pid_t? { state.withLock { $0.masterPID } }

    /// The master's socket while connected; tests check that `close()` removes it.
    public var controlPath: String? { state.withLock { $0.controlDirectory }.map { "\($0)/master" } }

    // MARK: - Connection

    /// Opens the master connection; throws a one-line ``TransportError/connectionFailed(where:reason:)``.
    /// Calling it again while the master lives does nothing; after the master died (ControlPersist idle expiry, a
    /// network drop) it opens a new one, which the statistics count.
    public func connect() async throws {
        enum Next { case alreadyConnected, busy, open(staleDirectory: String?) }
        let next = state.withLock { state -> Next in
            if state.connecting { return .busy }
            if let directory = state.controlDirectory {
                let alive = FileManager.default.fileExists(atPath: "\(directory)/master")
                    && state.masterPID.map(Self.isRunning) ?? true
                if alive { return .alreadyConnected }
                state.controlDirectory = nil
                state.masterPID = nil
                state.connecting = true
                return .open(staleDirectory: directory)
            }
            state.connecting = true
            return .open(staleDirectory: nil)
        }
        switch next {
        case .alreadyConnected:
            return
        case .busy:
            throw TransportError.invalidRequest("\(describe): connect() is already in progress")
        case .open(let stale):
            if let stale { try? FileManager.default.removeItem(atPath: stale) }
        }
        defer { state.withLock { $0.connecting = false } }
        await resolveHostKeyPolicy()
        let directory = try Self.makePrivateDirectory()
        let socket = "\(directory)/master"
        let arguments = commonArguments(controlPath: socket) + [
            "-o", "ControlMaster=yes",
            "-o", "ControlPersist=\(max(1, options.persist.components.seconds))",
            "-f", "-N",
        ] + target.sshArguments + [target.host]
        let outcome = try await ProcessRunner.run(
            executable: options.sshExecutable, arguments: arguments, stdin: Data(), timeout: options.connectTimeout + .seconds(5))
        guard outcome.status == 0, !outcome.timedOut, FileManager.default.fileExists(atPath: socket) else {
            try? FileManager.default.removeItem(atPath: directory)
            throw connectionFailure(stderr: String(decoding: outcome.stderr, as: UTF8.self), timedOut: outcome.timedOut)
        }
        let pid = try await masterPID(socket: socket)
        state.withLock {
            $0.controlDirectory = directory
            $0.masterPID = pid
            $0.statistics.mastersOpened += 1
        }
        logger.info("connected", metadata: [LogKey.gateway: "\(describe)",
                                            LogKey.durationMilliseconds: "\(outcome.duration.milliseconds)"])
    }

    /// Ends the master (`ssh -O exit`) and removes its private directory; safe to call twice.
    public func close() async throws {
        guard let (directory, pid) = state.withLock({ state -> (String, pid_t?)? in
            guard let directory = state.controlDirectory else { return nil }
            defer { state.controlDirectory = nil; state.masterPID = nil }
            return (directory, state.masterPID)
        }) else { return }
        let arguments = commonArguments(controlPath: "\(directory)/master") + ["-O", "exit"] + target.sshArguments + [target.host]
        _ = try? await ProcessRunner.run(executable: options.sshExecutable, arguments: arguments, stdin: Data(), timeout: .seconds(10))
        if let pid { await Self.waitForExit(pid: pid) }
        try? FileManager.default.removeItem(atPath: directory)
        logger.debug("disconnected", metadata: [LogKey.gateway: "\(describe)"])
    }

    // MARK: - Commands

    public func run(_ script: String, stdin: Data, timeout: Duration) async throws -> CommandResult {
        try CommandLimits.check(script, on: describe)
        guard let socket = controlPath, FileManager.default.fileExists(atPath: socket) else {
            throw TransportError.notConnected(target: describe)
        }
        // When the master is unreachable, ssh falls back to a direct login; ProxyCommand=false makes that fallback
        // fail at once, so a run never opens a second connection behind the statistics' back.
        let arguments = commonArguments(controlPath: socket) + ["-o", "ControlMaster=no", "-o", "ProxyCommand=/bin/false", "-T"]
            + target.sshArguments + [target.host, options.root.remoteCommand(for: script, timeout: timeout)]
        return try await execute(arguments: arguments, script: script, stdin: stdin, timeout: timeout, fresh: false)
    }

    /// Runs one command over a brand-new connection, not the master: proves a firewall still lets a new login in.
    public func runOverFreshConnection(_ script: String, stdin: Data = Data(), timeout: Duration = .seconds(60)) async throws -> CommandResult {
        try CommandLimits.check(script, on: describe)
        await resolveHostKeyPolicy()
        let arguments = commonArguments(controlPath: "none") + ["-o", "ControlMaster=no", "-T"]
            + target.sshArguments + [target.host, options.root.remoteCommand(for: script, timeout: timeout)]
        return try await execute(arguments: arguments, script: script, stdin: stdin, timeout: timeout, fresh: true)
    }

    private func execute(arguments: [String], script: String, stdin: Data, timeout: Duration, fresh: Bool) async throws -> CommandResult {
        let outcome = try await ProcessRunner.run(
            executable: options.sshExecutable, arguments: arguments, stdin: stdin, timeout: timeout)
        if fresh { state.withLock { $0.statistics.freshConnections += 1 } }
        let stderr = String(decoding: outcome.stderr, as: UTF8.self)
        if outcome.status == 255, !outcome.timedOut, !fresh, SSHFailure.isMasterGone(stderr: stderr) {
            throw TransportError.notConnected(target: describe)
        }
        if outcome.status == 255, !outcome.timedOut, SSHFailure.isTransportFailure(stderr: stderr) {
            throw connectionFailure(stderr: stderr, timedOut: false)
        }
        // Counted once the command reached the gateway; a refused one made no round trip.
        state.withLock { $0.statistics.roundTrips += 1 }
        return try CommandOutcomeCheck.result(of: outcome, script: script, stdinBytes: stdin.count, timeout: timeout,
                                              target: describe, root: options.root, logger: logger)
    }

    // MARK: - Helpers

    /// Options every invocation shares; ControlPath is `none` for fresh connections.
    private func commonArguments(controlPath: String) -> [String] {
        var arguments: [String] = []
        if let configFile = options.configFile { arguments += ["-F", configFile] }
        arguments += [
            "-o", "BatchMode=yes",
            "-o", "StrictHostKeyChecking=\(Self.strictHostKeyChecking(hostKeyPolicy))",
            "-o", "ConnectTimeout=\(max(1, options.connectTimeout.components.seconds))",
            "-o", "ClearAllForwardings=yes",
            "-o", "LogLevel=ERROR",
            "-o", "ControlPath=\(controlPath)",
        ]
        if options.hostKeyPolicy == .insecureSkip {
            arguments += ["-o", "UserKnownHostsFile=/dev/null", "-o", "GlobalKnownHostsFile=/dev/null"]
        } else if let knownHosts = options.knownHostsFile {
            arguments += ["-o", "UserKnownHostsFile=\(knownHosts)"]
        }
        if let identity = options.identityFile { arguments += ["-i", identity] }
        for option in options.extraOptions { arguments += ["-o", option] }
        return arguments
    }

    private static func strictHostKeyChecking(_ policy: HostKeyPolicy) -> String {
        switch policy {
        case .strict: "yes"
        case .acceptNew: "accept-new"
        case .insecureSkip: "no"
        case .userConfig: "yes"
        }
    }

    private func connectionFailure(stderr: String, timedOut: Bool) -> TransportError {
        let (reason, reportedPort) = timedOut ? ("connection timed out", nil) : SSHFailure.reason(fromStderr: stderr)
        let userAndHost = "\(target.user.map { "\($0)@" } ?? "")\(target.host)"
        let port = reportedPort ?? target.port.map(String.init)
        return .connectionFailed(where: "ssh \(userAndHost)\(port.map { " port \($0)" } ?? "")", reason: reason)
    }

    /// Asks the master for its pid (a local exchange, no round trip) so deinit can end an unclosed one.
    private func masterPID(socket: String) async throws -> pid_t? {
        let arguments = commonArguments(controlPath: socket) + ["-O", "check"] + target.sshArguments + [target.host]
        let outcome = try await ProcessRunner.run(executable: options.sshExecutable, arguments: arguments, stdin: Data(), timeout: .seconds(10))
        let text = String(decoding: outcome.stderr + outcome.stdout, as: UTF8.self)
        guard let start = text.range(of: "pid=") else { return nil }
        return pid_t(text[start.upperBound...].prefix { $0.isNumber })
    }

    /// mkdtemp under /tmp (not $TMPDIR) so `<dir>/master` stays within a socket path's 108 bytes.
    private static func makePrivateDirectory() throws -> String {
        var template = Array("/tmp/gwsetup-ssh.XXXXXX".utf8CString)
        guard let result = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw TransportError.launchFailed(executable: "mkdtemp", reason: String(cString: strerror(errno)))
        }
        return String(cString: result)
    }

    private static func waitForExit(pid: pid_t) async {
        for _ in 0..<100 {
            if !isRunning(pid) { return }
            try? await Task.sleep(for: .milliseconds(10))
        }
        kill(pid, SIGTERM)
    }

    /// kill(pid, 0) also succeeds on a zombie, and the master's reaper is init, which may take its time.
    private static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return kill(pid, 0) == 0 }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }
}
