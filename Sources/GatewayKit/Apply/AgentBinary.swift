import Foundation
import GatewayBase

/// Finds the gwsetup-agent program to ship and fills in the hash plan compares with the gateway's copy.
public enum AgentBinary {
    /// Where the Debian package installs it.
    public static let packagedPath = "/usr/lib/gwsetup/gwsetup-agent"

    /// `$GWSETUP_AGENT`, then beside gwsetup's own executable, then the Debian package's place.
    public static func candidates(environment: [String: String] = ProcessInfo.processInfo.environment,
                                  executable: String = Self.ownExecutable()) -> [String] {
        var paths: [String] = []
        if let named = environment["GWSETUP_AGENT"], !named.isEmpty { return [named] }
        if !executable.isEmpty { paths.append(URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("gwsetup-agent").path) }
        paths.append(packagedPath)
        return paths
    }

    public static func ownExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first ?? ""
    }

    /// The state with every binary's source and hash filled in; a missing or unusable agent is one line saying how to build it.
    public static func resolve(_ desired: DesiredState, candidates: [String] = candidates()) throws -> DesiredState {
        guard !desired.binaries.isEmpty else { return desired }
        var resolved = desired
        for index in resolved.binaries.indices {
            let (path, bytes) = try locate(candidates)
            resolved.binaries[index].source = path
            resolved.binaries[index].sha256 = SHA256Digest.hex(bytes)
        }
        return resolved
    }

    /// The first candidate that exists, read and checked: an ELF program that does not need the Swift runtime as a library.
    static func locate(_ candidates: [String]) throws -> (path: String, bytes: Data) {
        let build = "build it with `swift build --product gwsetup-agent --static-swift-stdlib` (it lands beside gwsetup) or set GWSETUP_AGENT"
        guard let path = candidates.first(where: { FileManager.default.isReadableFile(atPath: $0) }) else {
            throw AgentBinaryError("the gateway agent (services.uplink_check, a WireGuard domain) needs the gwsetup-agent program, found in none of \(candidates.joined(separator: ", ")); \(build)")
        }
        let bytes = try FileAccess.data(at: path, limit: 256 << 20)
        guard bytes.starts(with: [0x7f, 0x45, 0x4c, 0x46]) else { throw AgentBinaryError("\(path) is not a Linux program; \(build)") }
        // A default build links libswiftCore.so, which no gateway has.
        if bytes.range(of: Data("libswiftCore.so".utf8)) != nil {
            throw AgentBinaryError("\(path) needs the Swift runtime libraries, which gateways do not have; \(build)")
        }
        return (path, bytes)
    }

    /// The bytes apply sends, read again and checked against the planned hash, so a rebuilt agent is never installed unplanned.
    static func payload(_ binary: ManagedBinary) throws -> Data {
        guard let source = binary.source else { throw ApplyError.planMismatch("the plan's \(binary.path) has no local program to send") }
        let bytes = try FileAccess.data(at: source, limit: 256 << 20)
        guard SHA256Digest.hex(bytes) == binary.sha256 else {
            throw ApplyError.planMismatch("\(source) changed since the plan (rebuilt?); plan again")
        }
        return bytes
    }
}

/// The agent program cannot be found or is not one a gateway can run.
public struct AgentBinaryError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = Echo.line(description) }
}
