import Foundation
import Logging
import Testing
@testable import GatewayKit

@Suite("SSHTransport against a real sshd on loopback")
struct SSHTransportTests {
    @Test func manyCommandsShareOneLoginOverTheMaster() async throws {
        try await SSHServer.with { server in
            let ssh = try server.transport()
            try await ssh.connect()
            try await ssh.connect()  // a second call while the master lives opens nothing
            for index in 1...5 {
                let result = try await ssh.run("echo run \(index); id -u")
                #expect(result.stdoutText == "run \(index)\n0\n")
            }
            #expect(ssh.statistics.mastersOpened == 1)
            #expect(ssh.statistics.connectionsOpened == 1)
            #expect(ssh.statistics.roundTrips == 5)
            #expect(server.acceptedLogins == 1, "sshd log:\n\(server.log)")
            #expect(server.sessionsStarted == 5)
            try await ssh.close()
        }
    }

    @Test func stdinArrivesByteExactBinaryAndOneMegabyte() async throws {
        try await SSHServer.with { server in
            let ssh = try server.transport()
            try await ssh.connect()
            var bytes = Data((0...255).map { UInt8($0) })
            var generator = SystemRandomNumberGenerator()
            bytes += Data((0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) })
            let result = try await ssh.run("cat", stdin: bytes)
            #expect(result.status == 0)
            #expect(result.stdout.count == bytes.count)
            #expect(result.stdout == bytes)
            try await ssh.close()
        }
    }

    @Test func bigOutputOnBothStreamsWhileStdinWaitsDoesNotDeadlock() async throws {
        try await SSHServer.with { server in
            let ssh = try server.transport()
            try await ssh.connect()
            let script = """
                head -c 2000000 /dev/zero | tr '\\0' o
                head -c 2000000 /dev/zero | tr '\\0' e >&2
                wc -c
                """
            let result = try await ssh.run(script, stdin: Data(repeating: 7, count: 1 << 20), timeout: .seconds(30))
            #expect(result.stdout.count == 2_000_000 + "1048576\n".count)
            #expect(result.stderr.count == 2_000_000)
            try await ssh.close()
        }
    }

    @Test func exitStatusAndStderrPropagateAndRemote255IsNotAConnectionError() async throws {
        try await SSHServer.with { server in
            let ssh = try server.transport()
            try await ssh.connect()
            let failed = try await ssh.run("echo 'fastd: config error' >&2; exit 42")
            #expect(failed.status == 42)
            #expect(failed.stderrText == "fastd: config error\n")
            let twoFiftyFive = try await ssh.run("echo 'not ssh' >&2; exit 255")
            #expect(twoFiftyFive.status == 255)
            #expect(twoFiftyFive.stderrText == "not ssh\n")
            try await ssh.close()
        }
    }

    @Test func scriptsWithQuotesAndExpansionsRunExactlyAsWritten() async throws {
        try await SSHServer.with { server in
            let ssh = try server.transport()
            try await ssh.connect()
            let script = #"""
                x='it'"'"'s'; printf '%s|%s|%s\n' "$x" "$(echo "a  b")" '$HOME stays literal'
                """#
            let local = try await LocalShell(root: .asIs).run(script)
            let remote = try await ssh.run(script)
            #expect(remote.stdoutText == "it's|a  b|$HOME stays literal\n")
            #expect(remote.stdoutText == local.stdoutText)
            try await ssh.close()
        }
    }

    @Test func freshConnectionIsASecondLoginBesideTheMaster() async throws {
        try await SSHServer.with { server in
            let ssh = try server.transport()
            try await ssh.connect()
            _ = try await ssh.run("true")
            let fresh = try await ssh.runOverFreshConnection("echo fresh")
            #expect(fresh.stdoutText == "fresh\n")
            #expect(server.acceptedLogins == 2)
            #expect(ssh.statistics == {
                var expected = SSHTransport.Statistics()
                expected.mastersOpened = 1
                expected.freshConnections = 1
                expected.roundTrips = 2
                return expected
            }())
            // The master is still there and still the only multiplexed login.
            _ = try await ssh.run("true")
            #expect(server.acceptedLogins == 2)
            try await ssh.close()
        }
    }

    @Test func closeEndsTheMasterAndRemovesItsSocket() async throws {
        try await SSHServer.with { server in
            let ssh = try server.transport()
            try await ssh.connect()
            let socket = try #require(ssh.controlPath)
            let directory = (socket as NSString).deletingLastPathComponent
            #expect(FileManager.default.fileExists(atPath: socket))
            let attributes = try FileManager.default.attributesOfItem(atPath: directory)
            #expect((attributes[.posixPermissions] as? Int) == 0o700)
            try await ssh.close()
            #expect(!FileManager.default.fileExists(atPath: socket))
            #expect(!FileManager.default.fileExists(atPath: directory))
            #expect(ssh.controlPath == nil)
            let error = await #expect(throws: TransportError.self) { try await ssh.run("true") }
            #expect(error == .notConnected(target: "ssh gwtest"))
            try await ssh.close()  // twice is harmless
        }
    }

    @Test func aDeadMasterIsReportedNotSilentlyReplacedByANewLogin() async throws {
        try await SSHServer.with { server in
            let ssh = try server.transport()
            try await ssh.connect()
            let master = try #require(ssh.masterProcessID)
            kill(master, SIGKILL)  // leaves a stale socket behind, as a crash would
            #expect(await ProcessState.endsSoon(master))
            #expect(FileManager.default.fileExists(atPath: ssh.controlPath ?? ""))
            await #expect(throws: TransportError.notConnected(target: "ssh gwtest")) { try await ssh.run("true") }
            #expect(server.acceptedLogins == 1)
            #expect(ssh.statistics.connectionsOpened == 1)
            #expect(ssh.statistics.roundTrips == 0)
            // connect() again replaces the dead master, and the statistics say so.
            try await ssh.connect()
            #expect(try await ssh.run("echo back").stdoutText == "back\n")
            #expect(server.acceptedLogins == 2)
            #expect(ssh.statistics.mastersOpened == 2)
            try await ssh.close()
        }
    }

    @Test func runBeforeConnectIsRefusedInsteadOfOpeningAHiddenConnection() async throws {
        try await SSHServer.with { server in
            let ssh = try server.transport()
            await #expect(throws: TransportError.notConnected(target: "ssh gwtest")) { try await ssh.run("true") }
            #expect(server.acceptedLogins == 0)
        }
    }

    @Test func refusedPortIsOneLine() async throws {
        try await SSHServer.with { server in
            let port = try freeLoopbackPort()
            let ssh = SSHTransport(target: try SSHTarget(user: "root", host: "127.0.0.1", port: port),
                                   options: .init(configFile: server.clientConfig))
            let error = await #expect(throws: TransportError.self) { try await ssh.connect() }
            #expect(error?.description == "ssh root@127.0.0.1 port \(port): connection refused")
            #expect(ssh.statistics.mastersOpened == 0)
        }
    }

    @Test func changedHostKeyIsOneLineAndRefused() async throws {
        try await SSHServer.with { server in
            // known_hosts claims another key for this host:port, as after a reinstall or an attack.
            let other = try String(contentsOfFile: "\(server.directory)/stranger_key.pub", encoding: .utf8)
                .split(separator: " ").prefix(2).joined(separator: " ")
            try "[127.0.0.1]:\(server.port) \(other)\n".write(toFile: server.knownHosts, atomically: true, encoding: .utf8)
            let ssh = SSHTransport(target: try SSHTarget(user: "root", host: "127.0.0.1", port: server.port),
                                   options: .init(configFile: server.clientConfig))
            let error = await #expect(throws: TransportError.self) { try await ssh.connect() }
            let text = error?.description ?? ""
            #expect(text.hasPrefix("ssh root@127.0.0.1 port \(server.port): host key mismatch"))
            #expect(text.split(whereSeparator: \.isNewline).count == 1)
            #expect(server.acceptedLogins == 0)
        }
    }

    @Test func unknownHostKeyIsRefusedUnlessAcceptNewIsChosen() async throws {
        try await SSHServer.with { server in
            let emptyKnownHosts = "\(server.directory)/empty_known_hosts"
            _ = FileManager.default.createFile(atPath: emptyKnownHosts, contents: nil)
            let target = try SSHTarget(user: "root", host: "127.0.0.1", port: server.port)
            let strict = SSHTransport(target: target, options: .init(configFile: server.clientConfig, knownHostsFile: emptyKnownHosts))
            let error = await #expect(throws: TransportError.self) { try await strict.connect() }
            #expect(error?.description.hasPrefix("ssh root@127.0.0.1 port \(server.port): host key unknown") == true)

            let trusting = SSHTransport(target: target, options: .init(configFile: server.clientConfig, hostKeyPolicy: .acceptNew,
                                                                       knownHostsFile: emptyKnownHosts))
            try await trusting.connect()
            #expect(try await trusting.run("echo in").stdoutText == "in\n")
            try await trusting.close()
            let recorded = try String(contentsOfFile: emptyKnownHosts, encoding: .utf8)
            #expect(recorded.contains("[127.0.0.1]:\(server.port) ssh-ed25519 "))
        }
    }

    @Test func keyNotAuthorizedIsPermissionDeniedInOneLine() async throws {
        try await SSHServer.with { server in
            let config = "\(server.directory)/stranger_config"
            try """
                Host *
                  IdentityFile \(server.directory)/stranger_key
                  IdentitiesOnly yes
                  IdentityAgent none
                  UserKnownHostsFile \(server.knownHosts)

                """.write(toFile: config, atomically: true, encoding: .utf8)
            let ssh = SSHTransport(target: try SSHTarget(user: "root", host: "127.0.0.1", port: server.port),
                                   options: .init(configFile: config))
            let error = await #expect(throws: TransportError.self) { try await ssh.connect() }
            #expect(error?.description == "ssh root@127.0.0.1 port \(server.port): permission denied (publickey)")
        }
    }

    @Test func timeoutKillsTheCommandAndTheMasterStaysUsable() async throws {
        try await SSHServer.with { server in
            let ssh = try server.transport()
            try await ssh.connect()
            let pidFile = "\(server.directory)/remote.pid"
            // Waiting the sleep out would end in success; timedOut proves the timeout fired.
            let error = await #expect(throws: TransportError.self) {
                try await ssh.run("sleep 600 & echo $! > \(pidFile); wait", timeout: .milliseconds(500))
            }
            guard case .timedOut(let target, let command, _) = error else {
                Issue.record("expected timedOut, got \(String(describing: error))")
                return
            }
            #expect(target == "ssh gwtest")
            #expect(command.hasPrefix("sleep 600 &"))
            // Killing the local ssh client alone would leave this running on the gateway.
            let remotePID = try #require(Int32(String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(await ProcessState.endsSoon(remotePID), "the remote command outlived its timeout")
            #expect(try await ssh.run("echo still here").stdoutText == "still here\n")
            #expect(server.acceptedLogins == 1)
            try await ssh.close()
        }
    }

    @Test func concurrentCommandsMultiplexOverTheOneLogin() async throws {
        try await SSHServer.with { server in
            let ssh = try server.transport()
            try await ssh.connect()
            let outputs = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<8 { group.addTask { try await ssh.run("echo \(index)").stdoutText } }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(outputs == Set((0..<8).map { "\($0)\n" }))
            #expect(server.acceptedLogins == 1)
            #expect(ssh.statistics.roundTrips == 8)
            try await ssh.close()
        }
    }

    @Test func binaryStdinOverSSHArrivesByteForByte() async throws {
        try await SSHServer.with { server in
            let ssh = try server.transport()
            try await ssh.connect()
            let path = "\(server.directory)/secret.key"
            let content = Data("secret \"0123456789abcdef\";\n".utf8) + Data([0, 255, 10])
            let written = try await ssh.run("umask 077 && cat > \(ShellQuote.quote(path))", stdin: content)
            #expect(written.succeeded)
            #expect(FileManager.default.contents(atPath: path) == content)
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            #expect(ssh.statistics.roundTrips == 1)
            try await ssh.close()
        }
    }

    @Test(arguments: [RootStrategy.automatic, .sudo, .asIs])
    func everyRootStrategyRunsAsRootForARootLogin(root: RootStrategy) async throws {
        try await SSHServer.with { server in
            let ssh = try server.transport(root: root)
            try await ssh.connect()
            let result = try await ssh.run("id -u; cat", stdin: Data("via stdin\n".utf8))
            #expect(result.stdoutText == "0\nvia stdin\n")
            try await ssh.close()
        }
    }

    @Test func aNonRootLoginWithoutSudoRightsGetsOneActionableLine() async throws {
        try await SSHServer.with { server in
            #expect(getpwnam("gwsetup-test") != nil, "user gwsetup-test is missing: run Tests/setup.sh")
            let target = try SSHTarget(user: "gwsetup-test", host: "127.0.0.1", port: server.port)
            let plain = SSHTransport(target: target, options: .init(configFile: server.clientConfig, root: .asIs))
            try await plain.connect()
            let uid = try await plain.run("id -u").stdoutText
            #expect(!uid.isEmpty && uid != "0\n")
            try await plain.close()

            let escalating = SSHTransport(target: target, options: .init(configFile: server.clientConfig, root: .automatic))
            try await escalating.connect()
            let error = await #expect(throws: TransportError.self) { try await escalating.run("id -u") }
            let text = error?.description ?? ""
            #expect(text.hasPrefix("ssh gwsetup-test@127.0.0.1:\(server.port): cannot become root: sudo -n refused (a password is required)"))
            #expect(text.split(whereSeparator: \.isNewline).count == 1)
            try await escalating.close()
        }
    }

    @Test func commandsShareTheMasterWhileFreshConnectionsLogInAnew() async throws {
        // What makes a no-op apply one connection: the master's sessions are not new logins, fresh ones are.
        try await SSHServer.with { server in
            let ssh = try server.transport()
            try await ssh.connect()
            for _ in 0..<15 { _ = try await ssh.run("true") }
            #expect(server.acceptedLogins == 1)
            for _ in 0..<5 { _ = try await ssh.runOverFreshConnection("true") }
            #expect(server.acceptedLogins == 1 + 5)
            try await ssh.close()
        }
    }
}

@Suite("SSHTarget parsing")
struct SSHTargetTests {
    @Test(arguments: [
        ("root@gw1.ffx.example", "root", "gw1.ffx.example", nil),
        ("gw1", nil, "gw1", nil),
        ("admin@gw1:2222", "admin", "gw1", 2222),
        ("root@[2001:db8::1]:22", "root", "2001:db8::1", 22),
        ("root@2001:db8::1", "root", "2001:db8::1", nil),
    ] as [(String, String?, String, Int?)])
    func acceptsTheFormsASiteFileUses(text: String, user: String?, host: String, port: Int?) throws {
        let target = try SSHTarget(parsing: text)
        #expect(target.user == user)
        #expect(target.host == host)
        #expect(target.port == port)
    }

    @Test(arguments: ["", "root@", "-oProxyCommand=evil", "root@gw1:ssh", "root@gw1:70000", "root@gw 1", "root@[::1", "-l@gw1"])
    func refusesWhatCouldBeMisreadOrInjected(text: String) {
        #expect(throws: TransportError.self) { try SSHTarget(parsing: text) }
    }

    @Test func describesItselfTheWayMessagesShowIt() throws {
        #expect(SSHTransport(target: try SSHTarget(parsing: "root@gw1:22")).describe == "ssh root@gw1:22")
        #expect(try SSHTarget(parsing: "root@[2001:db8::1]:22").description == "root@[2001:db8::1]:22")
        #expect(LocalShell().describe == "local")
    }
}
