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

    /// `environment` adds to (or overrides) the test process's own variables, e.g. GWSETUP_AGENT.
    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(2400)) async throws -> Result {
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let outcome = try await ProcessRunner.run(executable: binary, arguments: arguments, environment: variables, stdin: Data(), timeout: timeout)
        return Result(status: outcome.status, stdout: String(decoding: outcome.stdout, as: UTF8.self),
                      stderr: String(decoding: outcome.stderr, as: UTF8.self))
    }

    /// Installs the built gwsetup in a guest that has no Swift, the way a package would lay it out: the binary in
    /// /usr/local/bin, the Templates in /usr/local/share/gwsetup, and the Swift runtime libraries it links (read from
    /// `ldd`, so nothing is rebuilt) in /usr/local/lib/gwsetup, made known to the dynamic linker.
    static func install(in vm: TestVM) async throws {
        let linked = try await ProcessRunner.run(executable: "/usr/bin/ldd", arguments: [binary], stdin: Data(), timeout: .seconds(60))
        let runtime = String(decoding: linked.stdout, as: UTF8.self).split(separator: "\n").compactMap { line -> String? in
            let parts = line.split(separator: " ")
            guard parts.count >= 3, parts[1] == "=>", !parts[2].hasPrefix("/lib/"), !parts[2].hasPrefix("/usr/lib/") else { return nil }
            return String(parts[2])
        }
        guard linked.status == 0, !runtime.isEmpty else { throw InstallFailed(what: "ldd \(binary)") }
        let libraries = try await ProcessRunner.run(
            executable: "/bin/tar", arguments: ["-chf", "-", "--transform", "s|.*/||"] + runtime, stdin: Data(), timeout: .seconds(120))
        let templates = try await ProcessRunner.run(
            executable: "/bin/tar", arguments: ["-C", repository, "-cf", "-", "Templates"], stdin: Data(), timeout: .seconds(60))
        guard libraries.status == 0, templates.status == 0 else { throw InstallFailed(what: "tar of the runtime or Templates") }
        try await vm.run("mkdir -p /usr/local/lib/gwsetup && tar -C /usr/local/lib/gwsetup -xf - && "
                         + "echo /usr/local/lib/gwsetup > /etc/ld.so.conf.d/gwsetup.conf && ldconfig", stdin: libraries.stdout)
        try await vm.run("mkdir -p /usr/local/share/gwsetup && tar -C /usr/local/share/gwsetup -xf -", stdin: templates.stdout)
        try await vm.copy(file: binary, to: "/usr/local/bin/gwsetup", mode: "0755")
    }

    struct InstallFailed: Error, CustomStringConvertible {
        var what: String
        var description: String { "installing gwsetup in the guest failed: \(what)" }
    }
}
