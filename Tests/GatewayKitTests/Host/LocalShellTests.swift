import Foundation
import Testing
@testable import GatewayKit

@Suite("LocalShell runs real /bin/sh")
struct LocalShellTests {
    let shell = LocalShell(root: .asIs)

    @Test func exitStatusStdoutAndStderrComeBackSeparately() async throws {
        let result = try await shell.run("echo out; echo err >&2; exit 3")
        #expect(result.status == 3)
        #expect(result.stdoutText == "out\n")
        #expect(result.stderrText == "err\n")
        #expect(!result.succeeded)
    }

    @Test func stdinArrivesByteExactIncludingNULAndOneMegabyte() async throws {
        var bytes = Data((0...255).map { UInt8($0) })
        var generator = SystemRandomNumberGenerator()
        bytes += Data((0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let result = try await shell.run("cat", stdin: bytes)
        #expect(result.status == 0)
        #expect(result.stdout == bytes)
    }

    @Test func childThatWritesMegabytesBeforeReadingStdinDoesNotDeadlock() async throws {
        // Fills both pipe buffers many times over before it reads a byte of its 1 MB stdin.
        let script = """
            head -c 3000000 /dev/zero | tr '\\0' o
            head -c 3000000 /dev/zero | tr '\\0' e >&2
            wc -c
            """
        let input = Data(repeating: 0x41, count: 1 << 20)
        let result = try await shell.run(script, stdin: input, timeout: .seconds(20))
        #expect(result.stdout.count == 3_000_000 + "1048576\n".count)
        #expect(result.stdoutText.hasSuffix("1048576\n"))
        #expect(result.stderr.count == 3_000_000)
    }

    @Test func aScriptThatIgnoresStdinStillFinishes() async throws {
        let result = try await shell.run("echo done", stdin: Data(repeating: 1, count: 4 << 20))
        #expect(result.stdoutText == "done\n")
    }

    @Test func timeoutKillsTheWholeProcessGroupAndSaysWhichCommand() async throws {
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent("gw-bg-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: pidFile) }
        // Waiting the sleep out would end in success, not in timedOut: the error itself proves the timeout fired.
        let error = await #expect(throws: TransportError.self) {
            try await shell.run("sleep 600 & echo $! > \(pidFile); wait", timeout: .milliseconds(400))
        }
        guard case .timedOut(let target, let command, _) = error else {
            Issue.record("expected timedOut, got \(String(describing: error))")
            return
        }
        #expect(target == "local")
        #expect(command.hasPrefix("sleep 600 &"))
        let message = error?.description ?? ""
        #expect(message.hasPrefix("local: `sleep 600 & echo $! > "))
        #expect(message.hasSuffix("` timed out after 0.4s and was killed"))
        // The background sleep was in the same process group, so it died too.
        let pid = try #require(Int32(String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(await ProcessState.endsSoon(pid), "background child \(pid) survived the timeout")
    }

    @Test func aDaemonLeftHoldingStdoutDoesNotHangTheCommand() async throws {
        // Had run waited for the daemon, it would have hit its timeout (thrown) or found the daemon gone.
        let result = try await shell.run("sleep 600 & echo $!", timeout: .seconds(300))
        #expect(result.status == 0)
        let daemon = try #require(Int32(result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(ProcessState.isRunning(daemon), "a finished command's background process must be left alone")
        kill(daemon, SIGKILL)
    }

    @Test func cancellingTheTaskKillsTheCommand() async throws {
        // Waiting the sleep out would end in success; only a killed command ends in cancelled.
        let task = Task { try await shell.run("sleep 600") }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        let result = await task.result
        guard case .failure(let error as TransportError) = result, case .cancelled = error else {
            Issue.record("expected cancelled, got \(result)")
            return
        }
    }

    @Test func commandsLeadTheirOwnSessionWithoutATerminal() async throws {
        // Session id and controlling tty are fields 6 and 7 of /proc/PID/stat.
        let fields = try await shell.run("echo $$; cut -d' ' -f6,7 /proc/$$/stat").stdoutText.split(whereSeparator: \.isWhitespace)
        #expect(fields.count == 3)
        #expect(fields[0] == fields[1], "the shell is not its session's leader")
        #expect(fields[2] == "0", "the shell has a controlling terminal")
    }

    @Test func signalDeathIsReportedLikeAShellDoes() async throws {
        let result = try await shell.run("kill -TERM $$")
        #expect(result.status == 128 + SIGTERM)
    }

    @Test func sudoStrategyRunsAsRootAndPassesStdinThroughSudo() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/sudo"), "sudo is missing: run Tests/setup.sh")
        let viaSudo = LocalShell(root: .sudo)
        let payload = Data("fastd secret travels via stdin\n".utf8)
        let result = try await viaSudo.run("id -u; cat", stdin: payload)
        #expect(result.stdoutText == "0\n" + String(decoding: payload, as: UTF8.self))
    }

    @Test func sudoRefusalBecomesOneActionableLine() async throws {
        // A real refusal: sudo run as nobody, who has no sudo rights and no terminal to ask on.
        let shell = LocalShell(root: .automatic)
        let error = await #expect(throws: TransportError.self) {
            try await shell.run("exec setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/sudo -n true")
        }
        guard case .privilegeEscalationFailed(let target, let reason) = error else {
            Issue.record("expected privilegeEscalationFailed, got \(String(describing: error))")
            return
        }
        #expect(target == "local")
        #expect(reason.contains("password is required"))
        #expect(error?.description.split(whereSeparator: \.isNewline).count == 1)
    }

    @Test func scriptsOverTheArgumentLimitAreRefusedBeforeAnythingRuns() async throws {
        let huge = "true #" + String(repeating: "x", count: 200_000)
        let error = await #expect(throws: TransportError.self) { try await shell.run(huge) }
        #expect(error?.description.contains("send data over stdin") == true)
    }

    @Test func manyConcurrentCommandsAllComplete() async throws {
        let results = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<24 { group.addTask { try await shell.run("echo \(index)").stdoutText } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(results) == Set((0..<24).map { "\($0)\n" }))
    }
}
