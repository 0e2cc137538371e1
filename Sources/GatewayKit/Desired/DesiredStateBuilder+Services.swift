/// What the mesh clients get from their gateway: DHCPv4, router advertisements, DNS and NTP.
extension DesiredStateBuilder {
    func serviceFiles(_ gateway: Gateway, _ views: [GatewayDomainView]) throws -> [ManagedFile] {
        let base: [String: any Sendable] = ["site_name": site.identity.name, "gateway": gateway.name, "dns_domain": site.identity.dnsDomain]
        let dhcpDomains: [[String: any Sendable]] = views.compactMap { view in
            guard let range = view.dhcpRanges.first, let prefix = view.domain.prefix4, let address = view.entry.ipv4 else { return nil }
            // One dhcp-range line per piece; range_first/range_last (the first piece) keep older template overrides rendering.
            let ranges: [[String: any Sendable]] = view.dhcpRanges.map { ["first": $0.first.description, "last": $0.last.description] }
            return ["domain": view.domain.code, "bridge": view.domain.bridgeInterface, "ranges": ranges, "range_first": range.first.description,
                    "range_last": range.last.description, "netmask": prefix.netmask.description,
                    "lease_time": view.domain.dhcp.leaseTime, "address": address.description, "dns_domain": site.identity.dnsDomain,
                    "client_mtu": view.domain.clientMTU]
        }
        let listen = views.flatMap { view in [view.entry.ipv4?.description, view.entry.ipv6.description].compactMap(\.self) }
        let allow = views.flatMap { view in [view.domain.prefix4?.description, view.domain.prefix6.description].compactMap(\.self) }
        let dns = site.services.dns
        let records: [[String: any Sendable]] = dns.localRecords.map { record in
            let type: String
            if case .v4 = record.address { type = "A" } else { type = "AAAA" }
            return ["name": record.name, "type": type, "address": record.address.description]
        }
        let unbound = base.merging([
            "listen": listen, "allow": allow, "has_forwarders": !dns.forwarders.isEmpty,
            "forwarders": dns.forwarders.map(\.description), "has_local_records": !records.isEmpty, "local_records": records,
        ]) { $1 }
        let ntpServers: [[String: any Sendable]] = site.services.ntp.servers.map { server in
            ["kind": server.contains("pool.ntp.org") ? "pool" : "server", "name": server]
        }
        var files: [ManagedFile] = []
        if !dhcpDomains.isEmpty {
            files.append(ManagedFile(
                path: "/etc/dnsmasq.d/gwsetup.conf", content: try renderer.render("dnsmasq/gwsetup.conf", base.merging(["domains": dhcpDomains]) { $1 }),
                validator: #"dnsmasq --test --conf-file="$FILE""#, triggers: [.restart("dnsmasq.service")]))
        }
        files.append(ManagedFile(
            path: "/etc/radvd.conf", content: try radvdConfig(gateway, views, drained: false),
            validator: #"radvd --configtest --config="$FILE""#, triggers: [.restart("radvd.service")]))
        files.append(ManagedFile(
            path: "/etc/unbound/unbound.conf.d/gwsetup.conf", content: try renderer.render("unbound/gwsetup.conf", unbound),
            validator: #"unbound-checkconf "$FILE""#, triggers: [.restart("unbound.service")]))
        files.append(ManagedFile(
            path: "/etc/chrony/chrony.conf",
            content: try renderer.render("chrony/chrony.conf", base.merging(["servers": ntpServers, "allow": allow]) { $1 }),
            validator: #"chronyd -p -f "$FILE" >/dev/null"#, triggers: [.restart("chrony.service")]))
        return files
    }
}
