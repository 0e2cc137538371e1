import Foundation
@testable import GatewayKit
import TestSupport

/// The .deb that packaging/build-deb.sh makes from this checkout, built once per test process (a static release
/// build costs minutes) into its own scratch path, so the debug build the tests run from is never touched.
enum DebianPackageBuild {
    struct Built: Sendable {
        /// The package file, in a temporary folder of this run.
        let path: String
        /// What the script printed (its steps with their times), for BENCHMARKS.md and failure messages.
        let log: String
        let seconds: Double
    }

    /// The script's scratch path, kept between runs like .build so a second run only relinks.
    static let scratchPath = TestPaths.repository + "/.build-deb"

    private static let once = Task<Built, any Error> {
        let output = NSTemporaryDirectory() + "gwsetup-deb-" + UUID().uuidString
        let started = ContinuousClock.now
        let outcome = try await ProcessRunner.run(
            executable: "/bin/bash",
            arguments: [TestPaths.repository + "/packaging/build-deb.sh", "--scratch-path", scratchPath, "--output", output],
            stdin: Data(), timeout: .seconds(3600))
        let seconds = Double((ContinuousClock.now - started).components.seconds)
        let log = String(decoding: outcome.stdout, as: UTF8.self) + String(decoding: outcome.stderr, as: UTF8.self)
        guard outcome.status == 0, let path = log.split(separator: "\n").last(where: { $0.hasSuffix(".deb") }).map(String.init) else {
            throw BuildFailed(log: log)
        }
        FileHandle.standardError.write(Data("packaging/build-deb.sh: \(path) in \(seconds) s\n".utf8))
        return Built(path: path, log: log, seconds: seconds)
    }

    static func built() async throws -> Built { try await once.value }

    struct BuildFailed: Error, CustomStringConvertible {
        var log: String
        var description: String { "packaging/build-deb.sh failed:\n\(log)" }
    }
}
