import GatewayBase

extension SiteReader {
    /// `backbone: tinc`, or `backbone: {kind: tinc, port: 655}`: one tinc port per domain from `port` up, refused where
    /// it would meet a port gwsetup already opens or keeps closed, or run past 65535.
    mutating func readBackbone(_ value: YAMLValue, site: Site) throws -> BackboneSettings {
        var settings = BackboneSettings()
        var portValue: YAMLValue?
        if case .mapping = value.node {
            let map = try value.mapping(knownKeys: ["kind", "port"])
            try readKind(try map.required("kind"))
            if let port = map["port"] {
                settings.basePort = try port.int(in: 1...65535)
                portValue = port
                note(port)
            }
        } else {
            try readKind(value)
        }
        note(value)
        let anchor = portValue ?? value
        let last = settings.port(domainIndex: site.domains.count - 1)
        if last > 65535 {
            throw anchor.error("the backbone needs ports \(settings.basePort)-\(last), one per domain, which runs past 65535; lower 'port'")
        }
        let claimed = GatewayPorts(site: site)
        for (index, domain) in site.domains.enumerated() {
            let port = settings.port(domainIndex: index)
            if let clash = claimed.uplinkOwned.first(where: { $0.port == port }) {
                throw anchor.error("tinc port \(port) of domain '\(domain.code)' (backbone port + \(index)) \(clash.reason)")
            }
        }
        return settings
    }

    private func readKind(_ value: YAMLValue) throws {
        let text = try value.string(.backboneKind)
        guard BackboneSettings.Kind(rawValue: text) != nil else { throw value.error("the backbone kind must be tinc, not \(Echo.quoted(text))") }
    }

    /// One line of base64, parsed down to an RSA key; see ``TincPublicKey``.
    mutating func tincPublicKey(_ value: YAMLValue) throws -> TincPublicKey {
        let text = try value.string(.tincPublicKey)
        guard let key = TincPublicKey(text) else {
            throw value.error("'tinc_public_key' \(TincPublicKey.defect(in: text) ?? "is not a tinc public key"); paste the line apply printed")
        }
        note(value)
        return key
    }
}
