import Foundation
@testable import GatewayKit
import TestSupport

/// The built gwsetup binary, run as a subprocess the way an admin runs it.
enum GwsetupCLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Both streams, for failure messages.
        var output: String { stdout + stderr }
    }

    static var repository: String { TestPaths.repository }

    static func fixture(_ name: String) -> String { repository + "/Tests/EndToEndTests/Fixtures/" + name }

    /// Beside the test bundle, whatever scratch path the build used.
    static var binary: String { TestPaths.gwsetupBinary }

    static func run(_ arguments: [String], timeout: Duration = .seconds(2400)) async throws -> Result {
        let outcome = try await ProcessRunner.run(executable: binary, arguments: arguments, stdin: Data(), timeout: timeout)
        return Result(status: outcome.status, stdout: String(decoding: outcome.stdout, as: UTF8.self),
                      stderr: String(decoding: outcome.stderr, as: UTF8.self))
    }

    /// gwsetup linked with a static Swift runtime, for copying into a guest that has no Swift; built once per checkout.
    static func staticBinary() async throws -> String {
        let scratch = repository + "/.build-e2e-static"
        let outcome = try await ProcessRunner.run(
            executable: "/usr/bin/env",
            arguments: ["swift", "build", "--static-swift-stdlib", "--product", "gwsetup", "--package-path", repository, "--scratch-path", scratch],
            stdin: Data(), timeout: .seconds(2400))
        guard outcome.status == 0 else {
            throw StaticBuildFailed(output: String(decoding: outcome.stdout + outcome.stderr, as: UTF8.self))
        }
        return scratch + "/debug/gwsetup"
    }

    struct StaticBuildFailed: Error, CustomStringConvertible {
        var output: String
        var description: String { "swift build --static-swift-stdlib failed:\n\(output)" }
    }
}
