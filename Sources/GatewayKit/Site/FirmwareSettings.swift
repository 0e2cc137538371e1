import GatewayBase

/// What the router firmware tells nodes (NTP, DNS, how many gateways to hold), so `gluon export` and `gluon check` speak for the site.
public struct FirmwareSettings: Sendable, Equatable {
    /// Gluon's `ntp_servers`; nil: export hands out the gateways' mesh addresses.
    public var ntpServers: [String]?
    /// Gluon's `dns.servers`; nil: export hands out the gateways' mesh addresses.
    public var dnsServers: [IPAddress]?
    /// Gluon's `mesh_vpn.fastd.groups.backbone.limit`: how many gateways a node connects to at once.
    public var backboneLimit: Int?
    /// The firmware's Gluon generation (site level); nil: the current layout.
    public var layout: GluonFirmwareLayout? = nil
    /// Gluon's `default_domain` as written (site level); set, the site exports as a multidomain site even with one domain.
    public var defaultDomain: String? = nil
    /// The domain's `domain_names`, its own code and aliases; nil: just its code.
    public var domainNames: [FirmwareDomainName]? = nil
    /// Codes of `domain_names` hidden in config mode (`hide_domain`).
    public var hiddenDomainNames: [String]? = nil
    /// The firmware's peer groups in order, nested ones after their parent; nil: one `backbone` group.
    public var peerGroups: [FirmwarePeerGroup]? = nil

    public init(ntpServers: [String]? = nil, dnsServers: [IPAddress]? = nil, backboneLimit: Int? = nil) {
        self.ntpServers = ntpServers
        self.dnsServers = dnsServers
        self.backboneLimit = backboneLimit
    }

    /// A domain's own settings win field by field over the site's, as Gluon's domain files do.
    public func overridden(by domain: FirmwareSettings?) -> FirmwareSettings {
        guard let domain else { return self }
        var merged = FirmwareSettings(ntpServers: domain.ntpServers ?? ntpServers, dnsServers: domain.dnsServers ?? dnsServers,
                                      backboneLimit: domain.backboneLimit ?? backboneLimit)
        merged.layout = domain.layout ?? layout
        merged.defaultDomain = domain.defaultDomain ?? defaultDomain
        merged.domainNames = domain.domainNames ?? domainNames
        merged.hiddenDomainNames = domain.hiddenDomainNames ?? hiddenDomainNames
        merged.peerGroups = domain.peerGroups ?? peerGroups
        return merged
    }
}

/// The anycast addresses every Gluon node answers on (`next_node`); a gateway taking one would be unreachable from half the mesh.
public struct NextNode: Sendable, Equatable {
    public var ipv4: IPv4Address?
    public var ipv6: IPv6Address?
    /// Lower-case `xx:xx:xx:xx:xx:xx`.
    public var mac: String?

    public init(ipv4: IPv4Address? = nil, ipv6: IPv6Address? = nil, mac: String? = nil) {
        self.ipv4 = ipv4
        self.ipv6 = ipv6
        self.mac = mac
    }

    /// Six colon-separated pairs of hex digits, the only spelling Gluon writes.
    public static func isMACAddress(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 6 && parts.allSatisfy { $0.count == 2 && $0.allSatisfy(\.isASCIIHexDigit) }
    }
}

/// fastd public keys and Gluon domain seeds are both 32 bytes written as 64 hex digits.
public enum HexKey {
    public static func isValid(_ text: String) -> Bool { text.count == 64 && text.allSatisfy(\.isASCIIHexDigit) }
}
