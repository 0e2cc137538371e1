/// A WireGuard private key made on the gateway by `wg genkey`, owned by systemd-network (networkd reads it) and 0600;
/// only its public half leaves: the exit server needs the exit key's, Gluon's peer list the mesh key's.
public struct WireGuardKey: Sendable, Equatable, Codable {
    public enum Role: String, Sendable, Codable, CaseIterable {
        /// The exit tunnel's (`gw-exit`).
        case exit
        /// The mesh VPN's, shared by the gateway's `wg-NAME` links as one fastd key is by a domain's instances.
        case mesh

        /// How plan, apply and the report name the key.
        public var title: String { self == .exit ? "exit tunnel key" : "WireGuard mesh key" }
    }

    public var role: Role
    /// networkd reads the key when it creates the interface: a new key needs its restart.
    public var units: [String] = ["systemd-networkd.service"]

    public init(_ role: Role) { self.role = role }

    public var privatePath: String { Self.privatePath(role) }
    public static func privatePath(_ role: Role) -> String { "/etc/gwsetup/wireguard/\(role == .exit ? "gw-exit" : "mesh").key" }
}
