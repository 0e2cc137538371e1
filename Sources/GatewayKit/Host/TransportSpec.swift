import Foundation
import Logging

/// A gateway's `ssh:` value from the site file: `local`, or an SSH target such as `root@gw1.ffx.example`.
public enum TransportSpec: Sendable, Hashable, CustomStringConvertible {
    case local
    case ssh(SSHTarget)

    public init(parsing text: String) throws {
        self = text == "local" ? .local : .ssh(try SSHTarget(parsing: text))
    }

    /// The site file's connection; port 22 is left to the ssh config, where an admin may have set another.
    public init(_ connection: GatewayConnection) throws {
        switch connection {
        case .local: self = .local
        case .ssh(let user, let host, let port): self = .ssh(try SSHTarget(user: user, host: host, port: port == 22 ? nil : port))
        }
    }

    public var description: String {
        switch self {
        case .local: "local"
        case .ssh(let target): target.description
        }
    }

    /// Opens the transport (one SSH master), hands it to `body`, and closes it whether `body` succeeds or throws.
    public func withTransport<T: Sendable>(
        sshOptions: SSHTransport.Options = SSHTransport.Options(),
        localRoot: RootStrategy = .automatic,
        logger: Logger,
        _ body: (any Transport) async throws -> T
    ) async throws -> T {
        switch self {
        case .local:
            return try await body(LocalShell(root: localRoot, logger: logger))
        case .ssh(let target):
            let transport = SSHTransport(target: target, options: sshOptions, logger: logger)
            try await transport.connect()
            do {
                let result = try await body(transport)
                try await transport.close()
                return result
            } catch {
                try? await transport.close()
                throw error
            }
        }
    }
}
