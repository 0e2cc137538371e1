import Foundation
@testable import GatewayKit

/// Runs a real command for tests that prove configs against the real daemons.
enum Shell {
    struct Result {
        let status: Int32
        let output: String
    }

    /// stdout and stderr interleaved as a terminal shows them; spawned like `runCommand`, not with Foundation's Process.
    static func run(_ script: String, environment: [String: String] = [:]) throws -> Result {
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let outcome = try runBlocking(executable: "/bin/sh", arguments: ["-c", "exec 2>&1\n" + script], environment: merged, input: "")
        return Result(status: outcome.status, output: String(decoding: outcome.stdout, as: UTF8.self))
    }

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "gwsetup-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
