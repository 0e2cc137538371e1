import Foundation
@testable import GatewayKit

/// A test's setup step that must work: a failure stops the test with the script's status and last error line.
struct SetupCommandFailed: Error, CustomStringConvertible {
    var target: String
    var status: Int32
    var stderr: String
    var description: String { "\(target): setup command exited with status \(status): \(stderr.lastMeaningfulLine ?? "")" }
}

extension Transport {
    /// Runs a test's setup script and throws unless it exits 0; gwsetup itself reads every outcome step by step.
    @discardableResult
    func runChecked(_ script: String, stdin: Data = Data(), timeout: Duration = Self.defaultTimeout) async throws -> CommandResult {
        let result = try await run(script, stdin: stdin, timeout: timeout)
        guard result.succeeded else { throw SetupCommandFailed(target: describe, status: result.status, stderr: result.stderrText) }
        return result
    }
}
