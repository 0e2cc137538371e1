import GatewayBase

/// A link's WireGuard peers from `wg show IF latest-handshakes` and `wg show IF allowed-ips`: the two listings that
/// carry no secret (`dump` and `showconf` print the interface's private key, so the agent never runs them).
public struct WireGuardPeers: Sendable, Equatable {
    public struct Peer: Sendable, Equatable {
        public var publicKey: String
        /// Seconds since the epoch of the last handshake; 0 when there was none.
        public var latestHandshake: Int
        /// The allowed IPs as wg prints them (`fe80::1/128`), checked only for shape here.
        public var allowedIPs: [String]

        public init(publicKey: String, latestHandshake: Int, allowedIPs: [String]) {
            self.publicKey = publicKey
            self.latestHandshake = latestHandshake
            self.allowedIPs = allowedIPs
        }
    }

    /// In the order `latest-handshakes` lists them.
    public var peers: [Peer]
    /// Lines of either listing that did not parse; dropped, so a surprise in wg's output costs a node, not the agent.
    public var ignoredLines: Int

    /// The two read-only queries, in the order `init(handshakes:allowedIPs:)` takes their output.
    public static func commands(interface: String) -> [[String]] {
        [["wg", "show", interface, "latest-handshakes"], ["wg", "show", interface, "allowed-ips"]]
    }

    /// Joins the listings by key; a peer only in `allowed-ips` (added between the two reads) counts as never seen.
    public init(handshakes: String, allowedIPs: String) {
        var ignored = 0
        var order: [String] = []
        var handshakeOf: [String: Int] = [:]
        for line in Self.lines(handshakes) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2, Self.isPublicKey(fields[0]), !fields[1].isEmpty, fields[1].utf8.allSatisfy({ (0x30...0x39).contains($0) }),
                  let seconds = Int(fields[1]), handshakeOf[String(fields[0])] == nil else { ignored += 1; continue }
            handshakeOf[String(fields[0])] = seconds
            order.append(String(fields[0]))
        }
        var allowedOf: [String: [String]] = [:]
        for line in Self.lines(allowedIPs) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2, Self.isPublicKey(fields[0]), allowedOf[String(fields[0])] == nil,
                  let networks = Self.allowedIPs(fields[1]) else { ignored += 1; continue }
            allowedOf[String(fields[0])] = networks
            if handshakeOf[String(fields[0])] == nil { order.append(String(fields[0])) }
        }
        peers = order.map { Peer(publicKey: $0, latestHandshake: handshakeOf[$0] ?? 0, allowedIPs: allowedOf[$0] ?? []) }
        ignoredLines = ignored
    }

    private static func lines(_ text: String) -> [Substring] {
        text.split(separator: "\n", omittingEmptySubsequences: true)
    }

    /// `(none)` or CIDRs separated by single spaces, each `address/length`.
    private static func allowedIPs(_ field: Substring) -> [String]? {
        if field == "(none)" { return [] }
        let tokens = field.split(separator: " ", omittingEmptySubsequences: false)
        guard tokens.allSatisfy({ token in
            let parts = token.split(separator: "/", omittingEmptySubsequences: false)
            return parts.count == 2 && !parts[0].isEmpty && (1...3).contains(parts[1].count) && parts[1].allSatisfy(\.isASCIIDigit)
                && parts[0].allSatisfy { $0.isASCIIHexDigit || $0 == ":" || $0 == "." }
        }) else { return nil }
        return tokens.map(String.init)
    }

    /// A WireGuard public key as wg prints it: 32 bytes in base64, 43 characters and one `=`.
    static func isPublicKey(_ text: Substring) -> Bool {
        text.utf8.count == 44 && text.hasSuffix("=")
            && text.dropLast().allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "/") }
    }
}
