import GatewayBase

/// Who may log in and from where; gwsetup itself needs this to keep reaching the gateway.
public struct Access: Sendable, Equatable {
    public var sshPort: Int
    public var admins: [Admin]
    public var sshAllowedSources: [IPNetwork]
}

/// An admin account with its SSH public keys; passwords are never used.
public struct Admin: Sendable, Equatable {
    public var name: String
    public var keys: [SSHPublicKey]
}

/// A validated `authorized_keys` line, so a pasted half key fails at load, not at login.
public struct SSHPublicKey: Sendable, Equatable, CustomStringConvertible {
    public static let knownTypes: Set<String> = [
        "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
    ]
    public let type: String
    public let base64: String
    public let comment: String

    public var description: String { comment.isEmpty ? "\(type) \(base64)" : "\(type) \(base64) \(comment)" }
}
