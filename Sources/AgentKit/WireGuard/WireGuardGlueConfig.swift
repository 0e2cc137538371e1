/// The agent's `wireguard` section: for each WireGuard mesh link, the VXLAN on top of it and how long a node may go
/// without a handshake before its forwarding entry and route are pruned (the peer itself stays: the site lists it).
public struct WireGuardGlueConfig: Sendable, Equatable, Codable {
    public var links: [Link]
    /// Seconds between two looks at the handshakes; a node that just connected waits at most this long for the
    /// gateway's flooded frames (batman-adv's OGMs) to reach it.
    public var interval: Int

    public init(links: [Link], interval: Int = 5) {
        self.links = links
        self.interval = interval
    }

    /// One domain's pair of interfaces.
    public struct Link: Sendable, Equatable, Codable {
        /// `wg-NAME`: its peers' allowed IPs are the nodes' link addresses.
        public var wireguard: String
        /// `vx-NAME`: gets one all-zero forwarding entry per node with a recent handshake, so broadcasts reach it.
        public var vxlan: String
        /// Seconds since the last handshake after which a node counts as gone.
        public var pruneAfter: Int

        public init(wireguard: String, vxlan: String, pruneAfter: Int) {
            self.wireguard = wireguard
            self.vxlan = vxlan
            self.pruneAfter = pruneAfter
        }
    }
}
