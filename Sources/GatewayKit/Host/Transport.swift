import Foundation

/// A way to run shell scripts on one gateway, so Facts and Apply work the same over SSH and locally.
///
/// Content always travels over stdin, never on the command line: fastd secrets and config files must not appear
/// in `ps` output or logs. Implementations log the script's first line, byte counts and exit status, never stdin.
public protocol Transport: Sendable {
    /// Names the gateway in messages, like `ssh root@gw1:22` or `local`.
    var describe: String { get }

    /// Runs `script` with `/bin/sh -c` as root (see ``RootStrategy``), feeding it `stdin`; a non-zero exit is a
    /// result, not an error. Throws ``TransportError`` when the command could not run, timed out or sudo refused.
    func run(_ script: String, stdin: Data, timeout: Duration) async throws -> CommandResult

    /// Runs `script` over a connection opened just for it, bypassing any shared one: after a firewall change,
    /// success proves a new login still gets in. Transports without connections run it as `run` does.
    func runOverFreshConnection(_ script: String, stdin: Data, timeout: Duration) async throws -> CommandResult
}

extension Transport {
    public func runOverFreshConnection(_ script: String, stdin: Data, timeout: Duration) async throws -> CommandResult {
        try await run(script, stdin: stdin, timeout: timeout)
    }

    /// A command's default timeout: generous for apt, short enough that a hung gateway does not hang the run.
    public static var defaultTimeout: Duration { .seconds(300) }

    public func run(_ script: String) async throws -> CommandResult {
        try await run(script, stdin: Data(), timeout: Self.defaultTimeout)
    }

    public func run(_ script: String, stdin: Data) async throws -> CommandResult {
        try await run(script, stdin: stdin, timeout: Self.defaultTimeout)
    }

    public func run(_ script: String, timeout: Duration) async throws -> CommandResult {
        try await run(script, stdin: Data(), timeout: timeout)
    }
}
