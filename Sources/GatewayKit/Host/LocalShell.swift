import Foundation
import Logging

/// Runs scripts on this machine, for `ssh: local` gateways and for tests; root via `sudo -n` when not root.
public struct LocalShell: Transport {
    public var root: RootStrategy
    public var logger: Logger

    public init(root: RootStrategy = .automatic, logger: Logger = Logger(label: "gwsetup.host")) {
        self.root = root
        self.logger = logger
    }

    public var describe: String { "local" }

    public func run(_ script: String, stdin: Data, timeout: Duration) async throws -> CommandResult {
        try CommandLimits.check(script, on: describe)
        let invocation = root.localInvocation(of: script)
        let outcome = try await ProcessRunner.run(
            executable: invocation.executable, arguments: invocation.arguments, stdin: stdin, timeout: timeout)
        return try CommandOutcomeCheck.result(of: outcome, script: script, stdinBytes: stdin.count, timeout: timeout,
                                              target: describe, root: root, logger: logger)
    }
}
