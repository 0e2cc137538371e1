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

    /// The names go into argument vectors and the numbers into timers: refused here, with the field, before either.
    func validate(path: String) throws(AgentConfigError) {
        func refuse(_ message: String) -> AgentConfigError { AgentConfigError(path: path, message: "wireguard.\(message)") }
        if links.isEmpty { throw refuse("links: empty") }
        if !(1...300).contains(interval) { throw refuse("interval: out of range 1...300") }
        var seen: Set<String> = []
        for (index, link) in links.enumerated() {
            for (field, name) in [("wireguard", link.wireguard), ("vxlan", link.vxlan)] {
                if !Self.isInterfaceName(name) { throw refuse("links.\(index).\(field): not an interface name (1-15 of A-Z a-z 0-9 _ . -)") }
                if !seen.insert(name).inserted { throw refuse("links.\(index).\(field): \(name) appears twice") }
            }
            if !(30...604_800).contains(link.pruneAfter) { throw refuse("links.\(index).pruneAfter: out of range 30...604800") }
        }
    }

    /// Linux accepts 1-15 bytes without '/', ':' or whitespace, and not '.' or '..'; gwsetup's names are a subset
    /// (letters, digits, `_ . -`), and anything else read back from the system is not one of them.
    public static func isInterfaceName(_ name: String) -> Bool {
        (1...15).contains(name.utf8.count) && name != "." && name != ".."
            && name.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5a).contains(byte) || (0x61...0x7a).contains(byte)
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
            }
    }
}
