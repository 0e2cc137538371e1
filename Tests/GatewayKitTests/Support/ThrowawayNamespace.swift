import Foundation

/// Runs a command with text on stdin; real iptables is the judge of whether printed rules are valid.
func runCommand(_ arguments: [String], input: String = "") throws -> (status: Int32, output: String, error: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    let writer = Thread {
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
    }
    writer.start()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    let error = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
}

/// A network namespace that exists for one test, so loading rules never touches the host's firewall.
struct ThrowawayNamespace: ~Copyable {
    let name = "gwtest-\(UInt32.random(in: 10000...99999))"

    init() throws {
        let created = try runCommand(["ip", "netns", "add", name])
        guard created.status == 0 else { throw NamespaceError(message: "ip netns add failed: \(created.error)") }
    }

    func exec(_ arguments: [String], input: String = "") throws -> (status: Int32, output: String, error: String) {
        try runCommand(["ip", "netns", "exec", name] + arguments, input: input)
    }

    deinit { _ = try? runCommand(["ip", "netns", "delete", name]) }
}

struct NamespaceError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

