import Foundation
import Logging
import Testing
@testable import GatewayKit
import TestSupport

/// A real OpenSSH server on 127.0.0.1 with throwaway keys, so SSH tests exercise the real protocol end to end.
///
/// Each server has its own directory: host key, an authorized client key, `known_hosts` with the real host key,
/// and an ssh_config that pins all of them (no agent, no ~/.ssh). `Host gwtest` carries user and port in the
/// config, the way an admin's ~/.ssh/config would.
final class SSHServer: Sendable {
    let directory: String
    let port: Int
    let pid: Int32
    let logPath: String
    let clientConfig: String
    let knownHosts: String
    let identity: String

    static let alias = "gwtest"

    /// Starts sshd, runs `body`, and kills sshd (and its connection processes) by pid whatever `body` did.
    /// `extraConfig` gets the server's directory and returns more sshd_config lines (a ForceCommand that records).
    static func with<T>(extraConfig: (String) -> String = { _ in "" }, _ body: (SSHServer) async throws -> T) async throws -> T {
        let server = try await start(extraConfig: extraConfig)
        defer { server.stop() }
        return try await body(server)
    }

    private init(directory: String, port: Int, pid: Int32) {
        self.directory = directory
        self.port = port
        self.pid = pid
        self.logPath = "\(directory)/sshd.log"
        self.clientConfig = "\(directory)/ssh_config"
        self.knownHosts = "\(directory)/known_hosts"
        self.identity = "\(directory)/client_key"
    }

    private static func start(extraConfig: (String) -> String) async throws -> SSHServer {
        let shell = LocalShell(root: .asIs)
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd"), "sshd missing: run Tests/setup.sh")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-sshd-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)  // privilege separation
        let port = try freeLoopbackPort()
        try await shell.runChecked("""
            cd \(ShellQuote.quote(directory))
            ssh-keygen -q -t ed25519 -N '' -C host -f host_key
            ssh-keygen -q -t ed25519 -N '' -C client -f client_key
            ssh-keygen -q -t ed25519 -N '' -C stranger -f stranger_key
            cp client_key.pub authorized_keys
            printf '[127.0.0.1]:%s %s\\n' \(port) "$(cut -d' ' -f1,2 host_key.pub)" > known_hosts
            """)
        let sshdConfig = """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(directory)/host_key
            PidFile \(directory)/sshd.pid
            AuthorizedKeysFile \(directory)/authorized_keys
            UsePAM no
            StrictModes no
            PermitRootLogin prohibit-password
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            LogLevel VERBOSE
            MaxSessions 32
            \(extraConfig(directory))
            """
        try sshdConfig.write(toFile: "\(directory)/sshd_config", atomically: true, encoding: .utf8)
        let clientConfig = """
            Host \(alias)
              HostName 127.0.0.1
              Port \(port)
              User root
            Host *
              IdentityFile \(directory)/client_key
              IdentitiesOnly yes
              IdentityAgent none
              UserKnownHostsFile \(directory)/known_hosts
              GlobalKnownHostsFile /dev/null

            """
        try clientConfig.write(toFile: "\(directory)/ssh_config", atomically: true, encoding: .utf8)

        // A private mount namespace hides this machine's ~/.bashrc (pyenv init: slow, and noisy on stderr when
        // sessions run in parallel) from the sessions, so they see a clean Debian root account like a gateway's.
        _ = FileManager.default.createFile(atPath: "\(directory)/empty_bashrc", contents: nil)
        let pid = try ChildProcess.spawn("/usr/bin/unshare", ["--mount", "--propagation", "private", "/bin/sh", "-c", """
            [ -e /root/.bashrc ] && mount --bind \(ShellQuote.quote(directory))/empty_bashrc /root/.bashrc
            exec /usr/sbin/sshd -D -e -f \(ShellQuote.quote(directory))/sshd_config
            """], outputFile: "\(directory)/sshd.log")
        let server = SSHServer(directory: directory, port: port, pid: pid)
        try await server.waitUntilListening()
        return server
    }

    private func waitUntilListening() async throws {
        for _ in 0..<300 {
            if log.contains("Server listening on 127.0.0.1 port \(port)") { return }
            if !ProcessState.isRunning(pid) { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        stop()
        throw TransportError.invalidRequest("sshd did not start: \(log)")
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Logins sshd accepted: one per TCP connection, however many sessions were multiplexed over it.
    var acceptedLogins: Int {
        log.split(whereSeparator: \.isNewline).filter { $0.contains("Accepted publickey for root from 127.0.0.1") }.count
    }

    /// Remote commands sshd started (VERBOSE logs one line per session), to check round-trip counts from its side.
    var sessionsStarted: Int {
        log.split(whereSeparator: \.isNewline).filter { $0.contains("Starting session: command for") }.count
    }

    /// Kills the listener and the per-connection sshd processes it forked, by pid.
    func stop() {
        let children = Self.children(of: pid)
        kill(pid, SIGTERM)
        for child in children { kill(child, SIGTERM) }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        // sshd's exiting children may still be closing files in here; a second try catches what the first missed.
        for _ in 0..<3 where FileManager.default.fileExists(atPath: directory) {
            if (try? FileManager.default.removeItem(atPath: directory)) == nil { usleep(50_000) }
        }
    }

    private static func children(of parent: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == parent ? pid : nil
        }
    }

    /// A transport to `gwtest` as the config describes it (user and port from ssh_config).
    func transport(root: RootStrategy = .automatic, logger: Logger = Logger(label: "test")) throws -> SSHTransport {
        SSHTransport(target: try SSHTarget(host: Self.alias),
                     options: .init(configFile: clientConfig, root: root, persist: .seconds(60)),
                     logger: logger)
    }
}

/// A TCP port on 127.0.0.1 that nothing listens on right now (the kernel picks it).
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw TransportError.invalidRequest("no free loopback port: \(String(cString: strerror(errno)))") }
    return Int(UInt16(bigEndian: address.sin_port))
}
