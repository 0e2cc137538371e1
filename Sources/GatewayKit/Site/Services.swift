import GatewayBase

/// The services a gateway offers its mesh clients, and how it defends itself.
public struct Services: Sendable, Equatable {
    public var dns: DNSSettings
    public var ntp: NTPSettings
    public var fail2ban: Fail2banSettings
    public var monitoring: MonitoringSettings
    /// The gateway agent's uplink check; nil leaves the agent out.
    public var uplinkCheck: UplinkCheckSettings? = nil
}

/// Unbound for the mesh: empty forwarders means full recursion from the root.
public struct DNSSettings: Sendable, Equatable {
    public var forwarders: [IPAddress]
    /// Names the gateway answers itself (`name: address`), e.g. the community's next-node name.
    public var localRecords: [LocalDNSRecord]
}

public struct LocalDNSRecord: Sendable, Equatable {
    public var name: String
    public var address: IPAddress
}

/// chrony upstreams; the gateway serves time to the mesh only.
public struct NTPSettings: Sendable, Equatable {
    public var servers: [String]
}

/// fail2ban's sshd jail; the only jail a gateway open to the internet needs by default.
public struct Fail2banSettings: Sendable, Equatable {
    public var enabled: Bool
    public var maxRetry: Int
    public var banTime: String
    public var findTime: String
}

/// Switches for the node-map and statistics daemons the community runs.
public struct MonitoringSettings: Sendable, Equatable {
    /// The gateway agent answers respondd queries on every mesh bridge, and the firewall opens UDP 1001 there.
    public var respondd: Bool
    /// Installs alfred on each batman interface and opens UDP 16962 on the mesh.
    public var alfred: Bool
    /// Installs vnstat for traffic statistics on the uplink and every VPN interface.
    public var vnstat: Bool
    /// Runs Debian's prometheus-node-exporter on the mesh addresses, with the agent's textfile metrics.
    public var nodeExporter: Bool = false
    /// The community's contact, which respondd's nodeinfo names as the gateway's owner.
    public var contact: String? = nil
}
