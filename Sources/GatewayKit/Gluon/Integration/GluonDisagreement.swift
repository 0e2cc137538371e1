/// One value the firmware and the gateways disagree on, with both values and where each was written.
public struct GluonDisagreement: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The site's domain code (or the firmware's, for a domain only the firmware has).
    public var domain: String?
    public var gateway: String?
    /// What differs: `mtu`, `methods`, `prefix4`, `fastd port`, `key`, `next_node.ipv4`, `routing_algo`, `mesh`, `gateway`, …
    public var field: String
    public var site: String
    /// `site.yaml:12:5`, or nil when the site does not write the value.
    public var siteLocation: String?
    public var firmware: String
    /// `site.conf:40:9`, or nil when the firmware does not write the value.
    public var firmwareLocation: String?

    public init(domain: String?, gateway: String? = nil, field: String, site: String, siteLocation: String?, firmware: String, firmwareLocation: String?) {
        self.domain = domain
        self.gateway = gateway
        self.field = field
        self.site = site
        self.siteLocation = siteLocation
        self.firmware = firmware
        self.firmwareLocation = firmwareLocation
    }

    private enum CodingKeys: String, CodingKey {
        case domain, gateway, field, site, siteLocation, firmware, firmwareLocation
    }

    /// Every key always present (null when unknown), so scripts reading `--json` need no existence checks.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(domain, forKey: .domain)
        try container.encode(gateway, forKey: .gateway)
        try container.encode(field, forKey: .field)
        try container.encode(site, forKey: .site)
        try container.encode(siteLocation, forKey: .siteLocation)
        try container.encode(firmware, forKey: .firmware)
        try container.encode(firmwareLocation, forKey: .firmwareLocation)
    }

    /// `domain 'city', gateway 'gw1': key: site 13f6… (site.yaml:40:27), firmware 6d4a… (site.conf:61:21)`.
    public var description: String {
        let subject = [domain.map { "domain '\($0)'" }, gateway.map { "gateway '\($0)'" }].compactMap { $0 }.joined(separator: ", ")
        func side(_ value: String, _ location: String?) -> String { location.map { "\(value) (\($0))" } ?? value }
        return (subject.isEmpty ? "" : subject + ": ") + "\(field): site \(side(site, siteLocation)), firmware \(side(firmware, firmwareLocation))"
    }
}
