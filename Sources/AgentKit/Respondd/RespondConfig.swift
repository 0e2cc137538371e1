/// What apply renders for respondd into agent.json: who this gateway is on each mesh domain it serves.
public struct RespondConfig: Sendable, Equatable, Codable {
    /// One mesh domain: the bridge the agent answers on and what it tells the map about it.
    public struct Domain: Sendable, Equatable, Codable {
        public var code: String
        /// br-X, where the agent joins ff02::2:1001 and ff05::2:1001 and accepts unicast queries.
        public var bridge: String
        /// bat-X, whose MAC is the node_id and whose tables give clients and neighbours.
        public var mesh: String
        /// The fastd interface, batman-adv's hard interface towards the nodes.
        public var vpnInterface: String
        /// The fastd public key nodes pin; public by nature (a secret never reaches agent.json). Without it (the
        /// gateway generated its own secret) the agent asks fastd for it with `fastdConfig`.
        public var fastdPublicKey: String?
        public var fastdConfig: String?
        /// The tap interfaces of the domain's further fastd instances (`vpn2-X` …); absent with one instance.
        public var moreVPNInterfaces: [String]? = nil

        public init(code: String, bridge: String, mesh: String, vpnInterface: String, fastdPublicKey: String?, fastdConfig: String? = nil) {
            self.code = code
            self.bridge = bridge
            self.mesh = mesh
            self.vpnInterface = vpnInterface
            self.fastdPublicKey = fastdPublicKey
            self.fastdConfig = fastdConfig
        }

        enum CodingKeys: String, CodingKey {
            case code, bridge, mesh, vpnInterface = "vpn_interface", fastdPublicKey = "fastd_public_key", fastdConfig = "fastd_config", moreVPNInterfaces = "more_vpn_interfaces"
        }
    }

    public var hostname: String
    public var siteCode: String
    public var contact: String?
    public var domains: [Domain]
    public var port: UInt16
    /// Answers per source: a burst, then this many per second.
    public var burst: Int
    public var perSecond: Double

    public init(hostname: String, siteCode: String, contact: String?, domains: [Domain],
                port: UInt16 = 1001, burst: Int = 10, perSecond: Double = 1) {
        self.hostname = hostname
        self.siteCode = siteCode
        self.contact = contact
        self.domains = domains
        self.port = port
        self.burst = burst
        self.perSecond = perSecond
    }

    enum CodingKeys: String, CodingKey {
        case hostname, siteCode = "site_code", contact, domains, port, burst, perSecond = "per_second"
    }
}

extension RespondConfig {
    /// The config with every missing fastd public key filled in from `fastd --show-key` (64 hex digits, or left out).
    public func fillingFastdKeys(_ showKey: (String) -> String? = RespondConfig.showFastdKey) -> RespondConfig {
        var filled = self
        for index in filled.domains.indices where filled.domains[index].fastdPublicKey == nil {
            guard let config = filled.domains[index].fastdConfig, let key = showKey(config)?.filter({ !$0.isWhitespace }),
                  key.utf8.count == 64, key.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { continue }
            filled.domains[index].fastdPublicKey = key
        }
        return filled
    }

    /// fastd derives the public key from the secret its config includes; the secret itself is never read here.
    public static func showFastdKey(config: String) -> String? {
        CommandOutput.run(["fastd", "--machine-readable", "--show-key", "--config", config])
    }
}
