import Foundation
@testable import GatewayKit

/// A booted qemu guest that a test reaches over SSH as root; get one from `withVM`/`withVMs`, which always kill it.
final class TestVM: Sendable {
    /// The host as a guest sees it through qemu's user-mode NAT: a guest dialing 10.0.2.2:P reaches 127.0.0.1:P on the host.
    static let hostAddressFromGuest = "10.0.2.2"
    /// qemu's user network answers as the host on this address over IPv6, and connects to the host's ::1.
    static let hostAddress6FromGuest = "fec0::2"

    let name: String
    let image: VMImage
    /// The host loopback port forwarded to the guest's sshd on 22.
    let sshPort: Int
    let forwards: [PortForward]
    /// qemu's process id; `withVM` kills it by this id.
    let pid: Int32
    /// A shell that kills qemu if this test process dies without `stop()`.
    let watchdogPID: Int32
    /// Per-VM files: console.log, qemu.log, ssh_config, known_hosts.
    let workDirectory: String

    init(name: String, image: VMImage, sshPort: Int, forwards: [PortForward], pid: Int32, watchdogPID: Int32,
         workDirectory: String) {
        self.name = name
        self.image = image
        self.sshPort = sshPort
        self.forwards = forwards
        self.pid = pid
        self.watchdogPID = watchdogPID
        self.workDirectory = workDirectory
    }

    /// Everything the guest printed on its serial console (kernel, systemd), for diagnosing a boot or a failure.
    var consoleLog: String { workDirectory + "/console.log" }
    /// qemu's own stdout and stderr.
    var qemuLog: String { workDirectory + "/qemu.log" }
    /// `ssh -F sshConfigFile sshHostAlias` (or `… -p sshPort root@127.0.0.1`) logs in as root with the test key and
    /// checks the guest's host key strictly; GatewayKit's `SSHTransport.Options(configFile:)` takes it as it is.
    var sshConfigFile: String { workDirectory + "/ssh_config" }
    /// The `Host` name inside `sshConfigFile`.
    var sshHostAlias: String { name }
    /// known_hosts holding the guest's host key for `[127.0.0.1]:sshPort` and for `sshHostAlias`.
    var knownHostsFile: String { workDirectory + "/known_hosts" }
    /// The key root's authorized_keys accepts.
    var privateKey: String { image.privateKey }
    /// `root@127.0.0.1:PORT`, as gwsetup's `ssh:` site field takes it.
    var sshTarget: String { "root@127.0.0.1:\(sshPort)" }
    /// `-o` options that reach the guest without a config file: `ssh <sshOptions> -p sshPort root@127.0.0.1`.
    var sshOptions: [String] {
        ["-o", "IdentityFile=\(privateKey)", "-o", "IdentitiesOnly=yes", "-o", "UserKnownHostsFile=\(knownHostsFile)",
         "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR"]
    }

    /// Runs `command` through root's shell in the guest; a non-zero exit is returned, not thrown.
    func ssh(_ command: String, stdin: Data = Data(), timeout: Duration = .seconds(900)) async throws -> CommandResult {
        let outcome = try await ProcessRunner.run(
            executable: "/usr/bin/ssh",
            arguments: ["-F", sshConfigFile, "-o", "ConnectTimeout=20", sshHostAlias, "--", command],
            stdin: stdin, timeout: timeout)
        return CommandResult(status: outcome.status, stdout: outcome.stdout, stderr: outcome.stderr)
    }

    /// Runs `command` and throws unless it exits 0; returns its stdout.
    @discardableResult
    func run(_ command: String, stdin: Data = Data(), timeout: Duration = .seconds(900)) async throws -> String {
        let result = try await ssh(command, stdin: stdin, timeout: timeout)
        guard result.succeeded else {
            throw VMError.commandFailed(
                name: name, command: command,
                result: "exit \(result.status): \(result.stderrText.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return result.stdoutText
    }

    /// Copies a host file into the guest (through ssh's stdin, so no sftp is needed), creating parent directories.
    func copy(file localPath: String, to remotePath: String, mode: String = "0644") async throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: localPath))
        try await write(data, to: remotePath, mode: mode)
    }

    /// Writes bytes to a path in the guest with the given octal mode.
    func write(_ data: Data, to remotePath: String, mode: String = "0644") async throws {
        let path = ShellQuote.quote(remotePath)
        try await run("mkdir -p \"$(dirname \(path))\" && cat > \(path) && chmod \(mode) \(path)", stdin: data)
    }

    /// The console log's last lines, for failure messages.
    func consoleTail(lines: Int = 40) -> String {
        Self.tail(of: consoleLog, lines: lines)
    }

    static func tail(of path: String, lines: Int) -> String {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}
