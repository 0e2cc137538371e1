import Foundation
@testable import GatewayKit

/// The built gwsetup binary, run as a subprocess the way an admin runs it.
enum GwsetupCLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Both streams, for failure messages.
        var output: String { stdout + stderr }
    }

    static var repository: String {
        var parts = #filePath.split(separator: "/").dropLast()
        while !parts.isEmpty, parts.last != "Tests" { parts = parts.dropLast() }
        return "/" + parts.dropLast().joined(separator: "/")
    }

    static func fixture(_ name: String) -> String { repository + "/Tests/EndToEndTests/Fixtures/" + name }

    /// Beside the test bundle, whatever scratch path the build used.
    static var binary: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = bundle.deletingLastPathComponent()
        if directory.pathExtension == "xctest" { directory = directory.deletingLastPathComponent() }
        return directory.appendingPathComponent("gwsetup").path
    }

    static func run(_ arguments: [String], timeout: Duration = .seconds(2400)) async throws -> Result {
        let outcome = try await ProcessRunner.run(executable: binary, arguments: arguments, stdin: Data(), timeout: timeout)
        return Result(status: outcome.status, stdout: String(decoding: outcome.stdout, as: UTF8.self),
                      stderr: String(decoding: outcome.stderr, as: UTF8.self))
    }
}
