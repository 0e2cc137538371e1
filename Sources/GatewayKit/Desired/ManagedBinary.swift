/// A program gwsetup ships to the gateway (the agent): compared by its sha256 alone, never by content, and sent
/// once in the apply's payload from the file on the admin's machine.
public struct ManagedBinary: Sendable, Equatable, Codable {
    public var path: String
    public var mode: Int
    /// The hash the gateway's copy must have; empty until `AgentBinary.resolve` read the local file.
    public var sha256: String
    /// Where the admin's machine holds it; read again at apply time and checked against `sha256`.
    public var source: String?
    /// Units to restart when it changes.
    public var triggers: [ServiceTrigger]

    public init(path: String, mode: Int = 0o755, sha256: String = "", source: String? = nil, triggers: [ServiceTrigger] = []) {
        self.path = path
        self.mode = mode
        self.sha256 = sha256
        self.source = source
        self.triggers = triggers
    }
}

extension DesiredState {
    /// Whether `path` is one of the programs this state ships (so removal leaves it alone).
    func shipsBinary(_ path: String) -> Bool { binaries.contains { $0.path == path } }

    /// Every path the agent feature writes, so the ownership manifest may claim and later remove them.
    static let agentFiles: Set<String> = [
        agentBinaryPath, agentConfigPath, radvdDrainConfigPath, "/etc/systemd/system/\(agentUnit)", "/etc/systemd/system/\(radvdDrainUnit)",
    ]
}
