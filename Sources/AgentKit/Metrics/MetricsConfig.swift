/// What apply renders for the metrics collector into agent.json: where to write, and what each domain has.
public struct MetricsConfig: Sendable, Equatable, Codable {
    public struct Domain: Sendable, Equatable, Codable {
        public var code: String
        public var mesh: String
        /// fastd's status socket (`/run/fastd-X.sock`); nil for a domain nodes reach over WireGuard only.
        public var fastdSocket: String?
        public var fastdPeerLimit: Int?
        /// The status sockets of the domain's further fastd instances; their peers add up. Absent with one instance.
        public var moreFastdSockets: [String]? = nil
        /// This gateway's DHCP ranges in the domain, as `first-last` pairs of IPv4 addresses; none without DHCPv4.
        public var dhcpRanges: [DHCPRange]

        public init(code: String, mesh: String, fastdSocket: String?, fastdPeerLimit: Int?, dhcpRanges: [DHCPRange]) {
            self.code = code
            self.mesh = mesh
            self.fastdSocket = fastdSocket
            self.fastdPeerLimit = fastdPeerLimit
            self.dhcpRanges = dhcpRanges
        }

        enum CodingKeys: String, CodingKey {
            case code, mesh, fastdSocket = "fastd_socket", fastdPeerLimit = "fastd_peer_limit", dhcpRanges = "dhcp_ranges", moreFastdSockets = "more_fastd_sockets"
        }
    }

    public struct DHCPRange: Sendable, Equatable, Codable {
        public var first: String
        public var last: String
        public init(first: String, last: String) {
            self.first = first
            self.last = last
        }
    }

    /// The .prom file node-exporter's textfile collector reads.
    public var textfile: String
    public var leaseFile: String
    public var domains: [Domain]
    public var interval: Int

    public init(textfile: String = Self.defaultTextfile, leaseFile: String = "/var/lib/misc/dnsmasq.leases",
                domains: [Domain], interval: Int = 30) {
        self.textfile = textfile
        self.leaseFile = leaseFile
        self.domains = domains
        self.interval = interval
    }

    /// Debian's prometheus-node-exporter reads *.prom from here.
    public static let defaultTextfile = "/var/lib/prometheus/node-exporter/gwsetup.prom"

    enum CodingKeys: String, CodingKey {
        case textfile, leaseFile = "lease_file", domains, interval
    }
}
