/// Site × gateway → the resources that gateway must have; pure, so plan, render and apply agree.
public struct DesiredStateBuilder: Sendable {
    public let site: Site
    public let renderer: TemplateRenderer

    public init(site: Site, renderer: TemplateRenderer) {
        self.site = site
        self.renderer = renderer
    }

    public func build(for gateway: Gateway) throws -> DesiredState {
        let views = site.views(for: gateway)
        let kernel = kernelSettings(views)
        var files: [ManagedFile] = []
        files += try kernelFiles(kernel)
        files += try meshFiles(gateway, views)
        files += try wireguardFiles(gateway, views)
        files += try backboneFiles(gateway, views)
        files += try exitFiles(gateway)
        files += try serviceFiles(gateway, views)
        files += try firewallFiles(gateway, views)
        files += try accessFiles(gateway)
        files += timezoneFiles()
        files += try monitoringFiles(gateway, views)
        let agent = try agentResources(gateway, views)
        files += agent.files
        var desired = DesiredState(
            gateway: gateway.name,
            packages: packages(gateway, views),
            users: site.access.admins.map { UserAccount(name: $0.name, groups: ["sudo"]) },
            files: files,
            sysctl: kernel.sysctl,
            modules: kernel.modules,
            fastdKeys: views.filter { $0.domain.fastd.isEnabled }.map { FastdKey(instance: $0.domain.code, secretPath: FastdKey.secretPath(instance: $0.domain.code),
                                            publicKey: $0.entry.fastdPublicKey, secretFile: $0.entry.fastdSecretFile) },
            units: units(views) + agent.units,
            timezone: site.identity.timezone,
            meshLinks: withBackbone(meshLinks(views)))
        desired.binaries = agent.binaries
        desired.tincKey = tincKey(gateway, views)
        desired.wireguardKeys = wireguardKeys(gateway, views)
        return desired
    }

    /// Everything apt must install; python3-systemd lets fail2ban read the journal on Debian 12.
    func packages(_ gateway: Gateway, _ views: [GatewayDomainView]) -> [String] {
        var packages = ["batctl", "chrony", "dnsmasq", "fail2ban", "fastd", "iptables", "python3-systemd", "radvd", "sudo", "unbound"]
        if site.services.monitoring.alfred { packages.append("alfred") }
        if site.services.monitoring.vnstat { packages.append("vnstat") }
        if site.backbone != nil { packages.append("tinc") }
        if site.exit(for: gateway) != nil || !Self.wireguardViews(views).isEmpty { packages.append("wireguard-tools") }
        packages += monitoringPackages()
        return packages.sorted()
    }

    /// Units in the order they should start: kernel and firewall first, the mesh, then its services.
    func units(_ views: [GatewayDomainView]) -> [ManagedUnit] {
        var names = ["gwsetup-firewall.service", "systemd-networkd.service"]
        names += Self.fastdUnits(views)
        names += backboneUnits(views)
        names += Self.wireguardUnits(views)
        names += ["dnsmasq.service", "unbound.service", "chrony.service", "radvd.service", "ssh.service"]
        if site.services.fail2ban.enabled { names.append("fail2ban.service") }
        if site.services.monitoring.vnstat { names.append("vnstat.service") }
        names += monitoringUnits()
        return names.map(ManagedUnit.init(name:))
    }
}
