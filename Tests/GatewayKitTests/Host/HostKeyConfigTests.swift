import Foundation
import Testing
@testable import GatewayKit
import TestSupport

/// Host keys against the real OpenSSH sshd on loopback, with a real known_hosts and a real ssh_config (`-F`):
/// trust on first use only when asked (the flag or the user's config), a changed key always refused, and a
/// config's `no` never weakening gwsetup's checking.
@Suite(.serialized) struct HostKeyConfigTests {
    /// An ssh_config for the server whose `Host gwtest` block says `checking` and whose known_hosts starts empty.
    func config(_ server: SSHServer, checking: String?, knownHosts: String) throws -> String {
        let path = "\(server.directory)/config-\(UUID().uuidString.prefix(6))"
        try """
            Host \(SSHServer.alias)
              HostName 127.0.0.1
              Port \(server.port)
              User root
            \(checking.map { "  StrictHostKeyChecking \($0)" } ?? "")
            Host *
              IdentityFile \(server.directory)/client_key
              IdentitiesOnly yes
              IdentityAgent none
              UserKnownHostsFile \(knownHosts)
              GlobalKnownHostsFile /dev/null

            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func emptyKnownHosts(_ server: SSHServer) -> String {
        let path = "\(server.directory)/known-\(UUID().uuidString.prefix(6))"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        return path
    }

    func connect(_ server: SSHServer, config: String, policy: SSHTransport.HostKeyPolicy) async throws -> String {
        let ssh = SSHTransport(target: try SSHTarget(host: SSHServer.alias), options: .init(configFile: config, hostKeyPolicy: policy))
        try await ssh.connect()
        defer { Task { try? await ssh.close() } }
        return try await ssh.run("echo in").stdoutText
    }

    @Test func acceptNewInTheUsersConfigIsRespectedOnFirstContact() async throws {
        try await SSHServer.with { server in
            let known = emptyKnownHosts(server)
            let config = try config(server, checking: "accept-new", knownHosts: known)
            #expect(try await connect(server, config: config, policy: .userConfig) == "in\n")
            #expect(try String(contentsOfFile: known, encoding: .utf8).contains("[127.0.0.1]:\(server.port) ssh-ed25519 "))
        }
    }

    @Test(arguments: ["no", "off", "yes", "ask", nil])
    func anyOtherConfigValueLeavesAnUnknownKeyRefused(_ value: String?) async throws {
        try await SSHServer.with { server in
            let known = emptyKnownHosts(server)
            let config = try config(server, checking: value, knownHosts: known)
            let error = await #expect(throws: TransportError.self) { _ = try await connect(server, config: config, policy: .userConfig) }
            #expect(error?.description.hasPrefix("ssh \(SSHServer.alias)") == true && error?.description.contains("host key unknown") == true,
                    "\(String(describing: error))")
            #expect(server.acceptedLogins == 0)
            #expect(try String(contentsOfFile: known, encoding: .utf8).isEmpty)
        }
    }

    @Test(arguments: [SSHTransport.HostKeyPolicy.acceptNew, .userConfig])
    func aChangedKeyFailsEvenWhenNewKeysAreAccepted(_ policy: SSHTransport.HostKeyPolicy) async throws {
        try await SSHServer.with { server in
            let known = emptyKnownHosts(server)
            let stranger = try String(contentsOfFile: "\(server.directory)/stranger_key.pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
            try "[127.0.0.1]:\(server.port) \(stranger)\n".write(toFile: known, atomically: true, encoding: .utf8)
            let config = try config(server, checking: "accept-new", knownHosts: known)
            let error = await #expect(throws: TransportError.self) { _ = try await connect(server, config: config, policy: policy) }
            #expect(error?.description.contains("host key mismatch") == true, "\(String(describing: error))")
            #expect(server.acceptedLogins == 0)
        }
    }

    @Test func sshGReadsThePolicyAsOpenSSHPrintsIt() {
        #expect(SSHTransport.hostKeyPolicy(fromEffectiveConfig: "user root\nstricthostkeychecking accept-new\n") == .acceptNew)
        for value in ["true", "false", "ask", "off"] {
            #expect(SSHTransport.hostKeyPolicy(fromEffectiveConfig: "stricthostkeychecking \(value)\n") == .strict)
        }
        #expect(SSHTransport.hostKeyPolicy(fromEffectiveConfig: "") == .strict)
    }

    /// The CLI's flag: plan's first contact with an unknown gateway fails without it and records the key with it.
    @Test func planAcceptsANewHostKeyOnlyWithTheFlag() async throws {
        try await SSHServer.with { server in
            let known = emptyKnownHosts(server)
            let config = try config(server, checking: nil, knownHosts: known)
            let folder = try ScratchFolder()
            defer { folder.cleanup() }
            let site = try folder.write("site.yaml", try String(contentsOfFile: TestPaths.example("single-gateway.yaml"), encoding: .utf8)
                .replacingOccurrences(of: "ssh: root@gw1.ffx.example", with: "ssh: root@\(SSHServer.alias)"))
            let refused = try runGwsetup(["plan", "--site", site, "--ssh-config", config])
            #expect(refused.status == 1)
            #expect(refused.error.hasPrefix("error: ssh root@\(SSHServer.alias)") && refused.error.contains("host key unknown"), "\(refused.error)")
            #expect(try String(contentsOfFile: known, encoding: .utf8).isEmpty)

            let accepted = try runGwsetup(["plan", "-v", "--accept-new-host-key", "--site", site, "--ssh-config", config])
            #expect(accepted.status == 0, "\(accepted.error)")
            // -v: how the gateway was reached and each command sent over the connection, as they happen.
            #expect(accepted.error.contains("connected") && accepted.error.contains("ran command"), "\(accepted.error)")
            #expect(accepted.output.hasPrefix("gwsetup plan for gw1 of Freifunk Example, against "), "\(accepted.output)")
            #expect(try String(contentsOfFile: known, encoding: .utf8).contains("[127.0.0.1]:\(server.port) ssh-ed25519 "))

            let both = try runGwsetup(["plan", "--accept-new-host-key", "--insecure-skip-host-key-check", "--site", site])
            #expect(both.status == 1 && both.error.contains("contradict each other"))
        }
    }
}
