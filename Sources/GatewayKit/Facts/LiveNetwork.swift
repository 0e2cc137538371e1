/// The mesh links as the kernel has them now: what networkd and fastd made of the files, which files alone cannot show.
public struct LiveNetwork: Sendable, Equatable, Codable {
    /// Present while the gateway has drained itself (the uplink watchdog or `maintenance on` switched gw_mode off);
    /// whoever drains writes it and removes it on undrain. Plan takes gw_mode off as intended while it exists.
    /// Under /run, so a reboot, which brings gw_mode back from the netdev files, also ends the drain.
    public static let drainedMarker = "/run/gwsetup/drained"

    /// Interface name → its state; a link the site implies but the kernel lacks is missing.
    public var links: [String: LinkFact]
    /// batman-adv interface → its runtime settings; missing when the interface is missing or batctl cannot read it.
    public var batman: [String: BatmanFact]
    public var drained: Bool
    /// Multi-TAP peer interfaces (see ``FastdLink/peerInterfaceStem``), kept apart from `links`: they come and go with
    /// the nodes, so none is ever missing and their churn alone makes no saved plan stale.
    public var peerLinks: [String: LinkFact]

    public init(links: [String: LinkFact] = [:], batman: [String: BatmanFact] = [:], drained: Bool = false, peerLinks: [String: LinkFact] = [:]) {
        self.links = links
        self.batman = batman
        self.drained = drained
        self.peerLinks = peerLinks
    }

    /// What a saved plan is checked against: the drain switches gw_mode at any time, on its own, and apply checks
    /// the marker again on the gateway before it touches gw_mode; neither is a change that makes a plan stale, and
    /// nor is a node connecting or leaving (a peer interface's drift is repaired by a fastd restart, peers or not).
    var withoutDrainState: LiveNetwork {
        var stable = self
        stable.drained = false
        stable.peerLinks = [:]
        for name in stable.batman.keys { stable.batman[name]?.gatewayMode = "" }
        return stable
    }
}

/// One link: administratively up, its master, and (for bridges) its global addresses and multicast snooping.
public struct LinkFact: Sendable, Equatable, Codable {
    public var up: Bool
    public var master: String?
    /// `address/prefix`, canonical spelling, sorted; link-local and failed-DAD addresses left out.
    public var addresses: [String]
    /// Bridges only.
    public var multicastSnooping: Bool?
    /// The link-layer address, lower-case; nil when the kernel gave none that reads as a MAC.
    public var mac: String?

    public init(up: Bool, master: String? = nil, addresses: [String] = [], multicastSnooping: Bool? = nil, mac: String? = nil) {
        self.up = up
        self.master = master
        self.addresses = addresses
        self.multicastSnooping = multicastSnooping
        self.mac = mac
    }
}

/// batman-adv's settings of one mesh interface, read over netlink by `batctl meshif X mesh_json`.
public struct BatmanFact: Sendable, Equatable, Codable {
    public var routingAlgorithm: String
    /// `off`, `client` or `server`.
    public var gatewayMode: String
    /// 100 kbit/s units.
    public var gatewayBandwidthDown: Int
    public var gatewayBandwidthUp: Int
    public var hopPenalty: Int
    /// Milliseconds.
    public var originatorInterval: Int
    public var multicastMode: Bool
}
