/// One community's gateways as typed values: everything Desired needs, nothing parsed twice.
public struct Site: Sendable, Equatable {
    public var identity: SiteIdentity
    public var domains: [MeshDomain]
    public var services: Services
    public var access: Access
    public var gateways: [Gateway]
    /// A folder whose files override single bundled templates, for local tweaks without forking.
    public var templatesDirectory: String?
    /// Ports the site opens beyond gwsetup's own services.
    public var firewall: FirewallSettings = FirewallSettings()
    /// What the router firmware tells nodes, for gluon export and check.
    public var firmware: FirmwareSettings = FirmwareSettings()
    /// The tinc mesh between the gateways; nil: each gateway meshes only with its own nodes.
    public var backbone: BackboneSettings? = nil
    /// The tunnel the clients' IPv4 leaves through; nil: clients are NATed out of the uplink.
    public var exit: ExitTunnel? = nil

    public func domain(_ code: String) -> MeshDomain? { domains.first { $0.code == code } }
    public func gateway(_ name: String) -> Gateway? { gateways.first { $0.name == name } }
    /// The firmware settings nodes of this domain get: the domain's own over the site's.
    public func firmware(for domain: MeshDomain) -> FirmwareSettings { firmware.overridden(by: domain.firmware) }
}

/// The community's identity, which names files, interfaces and the DNS zone.
public struct SiteIdentity: Sendable, Equatable {
    public var code: String
    public var name: String
    public var dnsDomain: String
    public var timezone: String
}
