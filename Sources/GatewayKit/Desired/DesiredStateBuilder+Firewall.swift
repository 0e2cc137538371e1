import GatewayBase

/// The firewall: mesh services on the bridges, SSH and fastd on the uplink, NAT and MSS clamping.
extension DesiredStateBuilder {
    /// Services the gateway answers on every mesh bridge, per family.
    func meshServices(ipv6: Bool) -> [[String: any Sendable]] {
        var services: [(String, String, Int)] = []
        if !ipv6 { services.append(("udp", "dhcp", 67)) }
        services += [("udp", "dns", 53), ("tcp", "dns", 53), ("udp", "ntp", 123)]
        if site.services.monitoring.respondd { services.append(("udp", "respondd", 1001)) }
        if site.services.monitoring.alfred { services.append(("udp", "alfred", 16962)) }
        if site.services.monitoring.nodeExporter { services.append(("tcp", "node-exporter", Self.nodeExporterPort)) }
        return services.map { ["protocol": $0.0, "name": $0.1, "port": $0.2] }
    }

    /// One ACCEPT rule per `firewall.open` entry and source prefix of this family, in the site's order.
    func openingRules(_ family: IPFamily) -> [[String: any Sendable]] {
        site.firewall.openings.flatMap { opening in
            (opening.sources(of: family) ?? []).map { source in
                ["chain": opening.side.chain, "source": source.map { $0.description as any Sendable } ?? false,
                 "protocol": opening.transport.rawValue, "ports": opening.destinationPortArgument, "name": opening.name]
            }
        }
    }

    /// The WireGuard port on the uplink and VXLAN inside the link only; false for a domain without WireGuard.
    static func wireguardRules(_ view: GatewayDomainView) -> any Sendable {
        guard let wireguard = view.domain.wireguard else { return false }
        return ["port": wireguard.port, "interface": view.domain.wireguardInterface, "vxlan_port": WireGuardMesh.vxlanPort] as [String: any Sendable]
    }

    /// How a domain's clients leave: through the exit, the uplink, or the exit with the uplink while it is down.
    func exitFirewall(_ view: GatewayDomainView) -> [String: any Sendable] {
        guard let exit = site.exit(carrying: view.domain) else { return ["exit": false, "uplink_forward": true, "uplink_fallback": false] }
        return ["exit": ["interface": ExitTunnel.interface] as [String: any Sendable], "uplink_forward": false, "uplink_fallback": exit.fallback == .uplink]
    }

    func firewallFiles(_ gateway: Gateway, _ views: [GatewayDomainView]) throws -> [ManagedFile] {
        func context(ipv6: Bool) -> [String: any Sendable] {
            let domains: [[String: any Sendable]] = views.map { view in
                ["domain": view.domain.code, "bridge": view.domain.bridgeInterface, "fastd": Self.fastdRules(view), "fastd_port": view.domain.fastdInstances(on: view.entry).first.map { $0.port as any Sendable } ?? false,
                 "prefix4": view.domain.prefix4.map { $0.description as any Sendable } ?? false, "prefix6": view.domain.prefix6.description,
                 "mss": view.domain.clientMSS(ipv6 ? .ipv6 : .ipv4), "ula": view.domain.hasUniqueLocalPrefix6, "wireguard": Self.wireguardRules(view)]
                    .merging(exitFirewall(view)) { $1 }
            }
            // iptables-save leaves out `-s 0.0.0.0/0`, so the rendered rules do too and drift stays comparable.
            let sources: [[String: any Sendable]] = site.access.sshAllowedSources.compactMap { network in
                switch network {
                case .v4(let v4) where !ipv6: ["source": v4.prefixLength == 0 ? false : v4.description]
                case .v6(let v6) where ipv6: ["source": v6.prefixLength == 0 ? false : v6.description]
                default: nil
                }
            }
            return ["gateway": gateway.name, "site_name": site.identity.name, "uplink": gateway.uplink, "ssh_port": site.access.sshPort,
                    "domains": domains, "mesh_services": meshServices(ipv6: ipv6), "ssh_sources": sources,
                    "openings": openingRules(ipv6 ? .ipv6 : .ipv4), "backbone": backboneRules(views),
                    "exit_tunnel": site.exit(for: gateway).map { ["interface": ExitTunnel.interface, "mss": $0.mss] as [String: any Sendable] } ?? false]
        }
        let firewallUnit = "gwsetup-firewall.service"
        return [
            // Before the rules and the unit: every load, reload and rollback goes through it.
            ManagedFile(path: DesiredState.firewallScriptPath,
                        content: try renderer.render("firewall/gwsetup-firewall.sh", ["site_name": site.identity.name]),
                        mode: 0o755, validator: #"sh -n "$FILE""#),
            ManagedFile(path: DesiredState.firewallRulesPath(.ipv4), content: try renderer.render("iptables/rules.v4", context(ipv6: false)),
                        mode: 0o600, validator: #"iptables-restore --test "$FILE""#, triggers: [.reload(firewallUnit)]),
            ManagedFile(path: DesiredState.firewallRulesPath(.ipv6), content: try renderer.render("iptables/rules.v6", context(ipv6: true)),
                        mode: 0o600, validator: #"ip6tables-restore --test "$FILE""#, triggers: [.reload(firewallUnit)]),
            ManagedFile(path: "/etc/systemd/system/\(firewallUnit)",
                        content: try renderer.render("systemd/gwsetup-firewall.service", ["site_name": site.identity.name]),
                        validator: #"dir=$(mktemp -d) && trap 'rm -rf "$dir"' EXIT && cp "$FILE" "$dir/$NAME" && systemd-analyze verify "$dir/$NAME""#,
                        triggers: [.command(.daemonReload), .restart(firewallUnit)]),
        ]
    }
}

extension DesiredState {
    /// The host-side loader: atomic load keeping fail2ban's chains, and the detached rollback of an unconfirmed change.
    public static let firewallScriptPath = "/usr/local/lib/gwsetup/gwsetup-firewall"

    /// Where the rendered iptables-restore files live on the gateway; verify and the plan-time check read them from here.
    public static func firewallRulesPath(_ family: IPFamily) -> String {
        family == .ipv4 ? "/etc/gwsetup/firewall/rules.v4" : "/etc/gwsetup/firewall/rules.v6"
    }

    /// The tables each family's rendered rules hold, so a rollback can clear the ones the host did not have before.
    public var firewallTables: [IPFamily: [String]] {
        var tables: [IPFamily: [String]] = [:]
        for family in [IPFamily.ipv4, .ipv6] {
            let content = file(Self.firewallRulesPath(family))?.content ?? ""
            tables[family] = content.split(separator: "\n").filter { $0.hasPrefix("*") }.map { String($0.dropFirst()) }
        }
        return tables
    }
}
