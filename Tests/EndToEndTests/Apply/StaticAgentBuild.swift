import Foundation
@testable import GatewayKit

/// The gwsetup-agent a gateway can run (the Swift runtime linked in, as the Debian package ships it), built once per
/// checkout in a scratch path of its own so the test build is untouched; apply finds it through GWSETUP_AGENT.
enum StaticAgentBuild {
    static var scratchPath: String { GwsetupCLI.repository + "/.build-agent-static" }

    /// Builds (or brings up to date) the static agent and returns its path; one build at a time on the machine.
    static func path() async throws -> String {
        let lock = try await VMBudget.lock("static-agent-build")
        defer { close(lock) }
        let started = ContinuousClock.now
        let build = try await ProcessRunner.run(
            executable: "/usr/bin/env",
            arguments: ["swift", "build", "--package-path", GwsetupCLI.repository, "--product", "gwsetup-agent",
                        "--static-swift-stdlib", "--scratch-path", scratchPath],
            stdin: Data(), timeout: .seconds(1800))
        guard build.status == 0 else {
            throw VMError.launchFailed("the static agent build failed:\n\(String(decoding: build.stdout + build.stderr, as: UTF8.self).suffix(3000))")
        }
        FileHandle.standardError.write(Data("static gwsetup-agent built in \(ContinuousClock.now - started)\n".utf8))
        return scratchPath + "/debug/gwsetup-agent"
    }
}
