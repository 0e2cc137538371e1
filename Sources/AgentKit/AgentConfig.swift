#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GatewayBase

/// The one file apply renders for the agent; each feature is a section, absent when the site leaves it off.
public struct AgentConfig: Sendable, Equatable, Codable {
    /// Where apply puts the file and where the agent reads it unless `--config` says otherwise.
    public static let defaultPath = "/etc/gwsetup/agent.json"
    /// Where the agent keeps what survives its restarts and what the metrics textfile reads (see AgentState).
    public static let defaultStatePath = "/run/gwsetup/agent-state.json"

    public var uplink: UplinkConfig?
    public var respondd: RespondConfig?
    public var metrics: MetricsConfig?
    public var wireguard: WireGuardGlueConfig?
    // Sections of further features (respondd, metrics) go here, one line each, their types in their own files.

    public init(uplink: UplinkConfig? = nil) {
        self.uplink = uplink
    }

    /// Decodes and checks the file; a value no agent could run with is an `AgentConfigError` naming the field.
    public static func load(path: String) throws -> AgentConfig {
        let data = try FileAccess.data(at: path, limit: 1 << 20)
        let config: AgentConfig
        do {
            config = try JSONDecoder().decode(AgentConfig.self, from: data)
        } catch let error as DecodingError {
            throw AgentConfigError(path: path, message: AgentConfigError.describe(error))
        }
        try config.validate(path: path)
        return config
    }

    func validate(path: String) throws(AgentConfigError) {
        if let uplink { try uplink.validate(path: path) }
        if let wireguard { try wireguard.validate(path: path) }
    }
}

/// A config file the agent cannot run with, one line naming the file and the field.
public struct AgentConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(Echo.inline(path, limit: FileAccess.pathLimit)): \(Echo.line(message))" }

    static func describe(_ error: DecodingError) -> String {
        func at(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "top level" : path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(at(context.codingPath)): wrong type"
        case .keyNotFound(let key, let context):
            return "\(at(context.codingPath + [key])): missing"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not JSON" : "\(at(context.codingPath)): invalid value"
        @unknown default:
            return "cannot decode"
        }
    }
}
