import GatewayBase

/// Turns the YAML tree into `Site` values, applying defaults and remembering where each value came from.
struct SiteReader {
    let file: String
    private(set) var locations: [String: SourceLocation] = [:]

    init(file: String) { self.file = file }

    mutating func note(_ value: YAMLValue) { locations[value.path] = value.location }

    mutating func readSite(_ root: YAMLValue) throws -> Site {
        let top = try root.mapping(knownKeys: ["site", "domains", "services", "access", "gateways", "firmware", "firewall", "backbone", "exit"])
        let identityValue = try top.required("site")
        let (identity, templates) = try readIdentity(identityValue)
        let domainValues = try top.required("domains").sequence()
        guard !domainValues.isEmpty else { throw try top.required("domains").error("'domains' needs at least one mesh domain") }
        var domains: [MeshDomain] = []
        for (index, value) in domainValues.enumerated() { domains.append(try readDomain(value, index: index)) }
        let services = try readServices(top["services"])
        let access = try readAccess(top["access"])
        let gatewayValues = try top.required("gateways").sequence()
        guard !gatewayValues.isEmpty else { throw try top.required("gateways").error("'gateways' needs at least one gateway") }
        var gateways: [Gateway] = []
        for value in gatewayValues { gateways.append(try readGateway(value)) }
        var site = Site(identity: identity, domains: domains, services: services, access: access, gateways: gateways, templatesDirectory: templates)
        site.firmware = try readFirmware(top["firmware"]) ?? FirmwareSettings()
        if let backbone = top["backbone"] { site.backbone = try readBackbone(backbone, site: site) }
        if let firewall = top["firewall"] { site.firewall = try readFirewall(firewall, site: site) }
        if let exit = top["exit"] { site.exit = try readExit(exit, site: site) }
        return site
    }

    private mutating func readIdentity(_ value: YAMLValue) throws -> (SiteIdentity, String?) {
        let map = try value.mapping(knownKeys: ["code", "name", "dns_domain", "timezone", "templates"])
        let codeValue = try map.required("code")
        let code = try identifier(codeValue, .siteCode)
        let name = try map["name"]?.string(.siteName) ?? code
        let dnsDomain = try map["dns_domain"].map { try domainName($0, .siteDNSDomain) } ?? "\(code).lan"
        let timezoneValue = map["timezone"]
        let timezone = try timezoneValue?.string(.siteTimezone) ?? SiteDefaults.timezone
        if let timezoneValue { note(timezoneValue) }
        let templatesValue = map["templates"]
        let templates = try templatesValue?.string(.siteTemplates)
        if let templatesValue { note(templatesValue) }
        return (SiteIdentity(code: code, name: name, dnsDomain: dnsDomain, timezone: timezone), templates)
    }

    private mutating func readDomain(_ value: YAMLValue, index: Int) throws -> MeshDomain {
        let map = try value.mapping(knownKeys: ["code", "interface_name", "prefix4", "prefix6", "mtu", "fastd", "batman", "dhcp", "router_advertisement", "next_node", "domain_seed", "firmware", "wireguard"])
        let codeValue = try map.required("code")
        let code = try identifier(codeValue, .domainCode)
        note(codeValue)
        let interfaceValue = map["interface_name"] ?? codeValue
        let interfaceName = try identifier(interfaceValue, .domainInterfaceName)
        note(YAMLValue(node: interfaceValue.node, file: file, path: "\(value.path).interface_name"))
        var prefix4: IPv4Network?
        if let prefixValue = map["prefix4"] {
            let text = try prefixValue.string(.domainPrefix4)
            guard text.contains("/"), let network = IPv4Network(text, strict: false) else { throw prefixValue.error("\(Echo.quoted(text)) is not an IPv4 prefix (want a.b.c.d/n)") }
            guard network.address == IPv4Address(text.split(separator: "/")[0]) else {
                throw prefixValue.error("\(Echo.quoted(text)) has host bits set; the network is \(network)")
            }
            if let defect = AddressScope.meshPrefixDefect(network) { throw prefixValue.error("prefix4 \(network) \(defect)") }
            prefix4 = network
            note(prefixValue)
        }
        let prefix6Value = try map.required("prefix6")
        let prefix6Text = try prefix6Value.string(.domainPrefix6)
        guard prefix6Text.contains("/"), let prefix6 = IPv6Network(prefix6Text, strict: false) else { throw prefix6Value.error("\(Echo.quoted(prefix6Text)) is not an IPv6 prefix (want x:x::/64)") }
        guard IPv6Network(prefix6Text, strict: true) != nil else { throw prefix6Value.error("\(Echo.quoted(prefix6Text)) has host bits set; the network is \(prefix6)") }
        if let defect = AddressScope.meshPrefixDefect(prefix6) { throw prefix6Value.error("prefix6 \(prefix6) \(defect)") }
        note(prefix6Value)
        let mtuValue = map["mtu"]
        let mtu = try mtuValue?.int() ?? SiteDefaults.mtu
        if let mtuValue { note(mtuValue) }
        let fastd = try readFastd(map["fastd"], index: index, path: "\(value.path).fastd")
        let batman = try readBatman(map["batman"])
        let dhcp = try readDHCP(map["dhcp"])
        var defaultRouters: [String] = []
        if let ra = map["router_advertisement"] {
            let raMap = try ra.mapping(knownKeys: ["default_routers"])
            if let routers = raMap["default_routers"] {
                defaultRouters = try routers.strings(.defaultRouters)
                note(routers)
                for item in try routers.sequence() { note(item) }
            }
        }
        var domain = MeshDomain(code: code, interfaceName: interfaceName, prefix4: prefix4, prefix6: prefix6, mtu: mtu, fastd: fastd,
                                batman: batman, dhcp: dhcp, routerAdvertisement: RouterAdvertisementSettings(defaultRouters: defaultRouters))
        domain.nextNode = try readNextNode(map["next_node"])
        if let seed = map["domain_seed"] { domain.domainSeed = try hexKey(seed, .domainSeed) }
        domain.firmware = try readFirmware(map["firmware"])
        if let wireguard = map["wireguard"] { domain.wireguard = try readWireGuard(wireguard, index: index) }
        return domain
    }

    private mutating func readFastd(_ value: YAMLValue?, index: Int, path: String) throws -> FastdSettings {
        var settings = FastdSettings(port: SiteDefaults.fastdBasePort + index, methods: SiteDefaults.fastdMethods, peerLimit: SiteDefaults.fastdPeerLimit)
        guard let value else { return settings }
        // `fastd: none`: the domain's nodes come over WireGuard only.
        if value.plainText == "none" {
            settings.instances = 0
            note(value)
            return settings
        }
        let map = try value.mapping(knownKeys: ["port", "methods", "peer_limit", "instances"])
        if let port = map["port"] { settings.port = try port.int(in: 1...65535); note(port) }
        if let methods = map["methods"] {
            note(methods)
            // fastd's cipher-less method is called `null`, which YAML reads as nothing unless quoted.
            settings.methods = try methods.sequence().map { item in
                item.isNull && item.plainText == "null" ? "null" : try item.string(.fastdMethods) { text, reason in "\(Echo.quoted(text)) \(reason)" }
            }
            guard !settings.methods.isEmpty else { throw methods.error("'methods' needs at least one fastd method") }
        }
        if let limit = map["peer_limit"] { settings.peerLimit = try limit.int(in: 1...65535) }
        if let instances = map["instances"] { settings.instances = try instances.int(in: 1...SiteDefaults.maxFastdInstances); note(instances) }
        return settings
    }

    private mutating func readBatman(_ value: YAMLValue?) throws -> BatmanSettings {
        var settings = BatmanSettings(routingAlgorithm: SiteDefaults.routingAlgorithm, gatewayBandwidth: SiteDefaults.gatewayBandwidth,
                                      hopPenalty: SiteDefaults.hopPenalty, originatorInterval: SiteDefaults.originatorInterval, multicastOptimizations: true)
        guard let value else { return settings }
        let map = try value.mapping(knownKeys: ["routing_algo", "gw_bandwidth", "hop_penalty", "orig_interval", "multicast_optimizations"])
        if let algo = map["routing_algo"] {
            note(algo)
            let text = try algo.string(.routingAlgorithm)
            guard let parsed = BatmanSettings.RoutingAlgorithm(rawValue: text) else {
                throw algo.error("'routing_algo' must be BATMAN_IV or BATMAN_V, not \(Echo.quoted(text))")
            }
            settings.routingAlgorithm = parsed
        }
        if let bandwidth = map["gw_bandwidth"] {
            let text = try bandwidth.string(.gatewayBandwidth)
            guard Self.isBandwidth(text) else { throw bandwidth.error("'gw_bandwidth' must look like 100mbit/100mbit, not \(Echo.quoted(text))") }
            settings.gatewayBandwidth = text
        }
        if let penalty = map["hop_penalty"] { settings.hopPenalty = try penalty.int(in: 0...255) }
        if let interval = map["orig_interval"] { settings.originatorInterval = try interval.int(in: 100...60000) }
        if let multicast = map["multicast_optimizations"] { settings.multicastOptimizations = try multicast.bool() }
        return settings
    }

    /// batctl's bandwidth syntax: `down[/up]`, each a number with an optional kbit/mbit unit.
    static func isBandwidth(_ text: String) -> Bool {
        let parts = text.lowercased().split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return false }
        return parts.allSatisfy { part in
            var digits = Substring(part)
            for unit in ["kbit", "mbit"] where digits.hasSuffix(unit) { digits = digits.dropLast(unit.count) }
            return !digits.isEmpty && digits.allSatisfy(\.isASCIIDigit)
        }
    }

    private mutating func readDHCP(_ value: YAMLValue?) throws -> DHCPSettings {
        var settings = DHCPSettings(leaseTime: SiteDefaults.dhcpLeaseTime, range: nil)
        guard let value else { return settings }
        let map = try value.mapping(knownKeys: ["lease_time", "range"])
        if let lease = map["lease_time"] { settings.leaseTime = try lease.int(in: 60...86400 * 7) }
        if let range = map["range"] { settings.range = try ipv4Range(range, .domainDHCPRange); note(range) }
        return settings
    }

    private mutating func readServices(_ value: YAMLValue?) throws -> Services {
        var services = Services(
            dns: DNSSettings(forwarders: [], localRecords: []),
            ntp: NTPSettings(servers: SiteDefaults.ntpServers),
            fail2ban: Fail2banSettings(enabled: true, maxRetry: SiteDefaults.fail2banMaxRetry, banTime: SiteDefaults.fail2banBanTime, findTime: SiteDefaults.fail2banFindTime),
            monitoring: MonitoringSettings(respondd: false, alfred: false, vnstat: false))
        guard let value else { return services }
        let map = try value.mapping(knownKeys: ["dns", "ntp", "fail2ban", "monitoring", "uplink_check"])
        if let uplink = map["uplink_check"] { services.uplinkCheck = try readUplinkCheck(uplink) }
        if let dns = map["dns"] {
            let dnsMap = try dns.mapping(knownKeys: ["forwarders", "local_records"])
            if let forwarders = dnsMap["forwarders"] {
                services.dns.forwarders = try forwarders.sequence().map { item in
                    let text = try item.string(.dnsForwarders)
                    guard let address = IPAddress(text) else { throw item.error("DNS forwarder \(Echo.quoted(text)) is not an IP address") }
                    // A resolver on the gateway itself (a DNS-over-TLS proxy on 127.0.0.1) is a real choice; the others are not.
                    if let scope = AddressScope.of(address), scope != .loopback { throw item.error("DNS forwarder \(address) is \(scope.rawValue), not a resolver") }
                    return address
                }
            }
            if let records = dnsMap["local_records"] {
                services.dns.localRecords = try records.pairs(keys: .localRecordName).map { key, item in
                    let name = key.plainText ?? ""
                    let text = try item.string(.localRecordAddress)
                    guard let address = IPAddress(text) else { throw item.error("local record '\(name)' needs an IP address, not \(Echo.quoted(text))") }
                    if let scope = AddressScope.of(address) { throw item.error("local record '\(name)' points at \(address), \(scope.rawValue), which no client can reach") }
                    return LocalDNSRecord(name: name, address: address)
                }
            }
        }
        if let ntp = map["ntp"] {
            let ntpMap = try ntp.mapping(knownKeys: ["servers"])
            if let servers = ntpMap["servers"] {
                services.ntp.servers = try servers.sequence().map { item in
                    try host(item, .ntpServers) { "NTP server \($0) is neither an address nor a host name" }
                }
            }
        }
        if let fail2ban = map["fail2ban"] {
            let f2bMap = try fail2ban.mapping(knownKeys: ["enabled", "sshd"])
            if let enabled = f2bMap["enabled"] { services.fail2ban.enabled = try enabled.bool() }
            if let sshd = f2bMap["sshd"] {
                let sshdMap = try sshd.mapping(knownKeys: ["maxretry", "bantime", "findtime"])
                if let retry = sshdMap["maxretry"] { services.fail2ban.maxRetry = try retry.int(in: 1...1000) }
                if let ban = sshdMap["bantime"] { services.fail2ban.banTime = try duration(ban, .fail2banBanTime) }
                if let find = sshdMap["findtime"] { services.fail2ban.findTime = try duration(find, .fail2banFindTime) }
            }
        }
        if let monitoring = map["monitoring"] {
            let monMap = try monitoring.mapping(knownKeys: ["respondd", "alfred", "vnstat", "node_exporter", "contact"])
            if let respondd = monMap["respondd"] { services.monitoring.respondd = try respondd.bool() }
            if let alfred = monMap["alfred"] { services.monitoring.alfred = try alfred.bool() }
            if let vnstat = monMap["vnstat"] { services.monitoring.vnstat = try vnstat.bool() }
            if let exporter = monMap["node_exporter"] { services.monitoring.nodeExporter = try exporter.bool() }
            if let contact = monMap["contact"] { services.monitoring.contact = try contact.string(.monitoringContact) }
        }
        return services
    }

    private mutating func readAccess(_ value: YAMLValue?) throws -> Access {
        var access = Access(sshPort: SiteDefaults.sshPort, admins: [], sshAllowedSources: [IPNetwork("0.0.0.0/0")!, IPNetwork("::/0")!])
        guard let value else { return access }
        let map = try value.mapping(knownKeys: ["ssh_port", "admins", "ssh_allow_from"])
        if let port = map["ssh_port"] { access.sshPort = try port.int(in: 1...65535); note(port) }
        if let admins = map["admins"] {
            var names: Set<String> = []
            for item in try admins.sequence() {
                let adminMap = try item.mapping(knownKeys: ["name", "keys"])
                let nameValue = try adminMap.required("name")
                let name = try nameValue.string(.adminName) { text, reason in
                    FieldGrammar.userNameDefect(text) != nil && text.utf8.count <= 32
                        ? "admin name \(Echo.quoted(text)) is not a valid Linux user name (lower case, digits, - and _)"
                        : "admin name \(Echo.quoted(text)) \(reason)"
                }
                guard names.insert(name).inserted else { throw nameValue.error("admin '\(name)' is listed twice") }
                var keys: [SSHPublicKey] = []
                for keyValue in try adminMap.required("keys").sequence() {
                    let line = try keyValue.string(.adminKeys)
                    guard let key = SSHPublicKey(line: line) else {
                        throw keyValue.error("admin '\(name)' has a malformed SSH public key: \(SSHPublicKey.defect(in: line) ?? "refused")")
                    }
                    keys.append(key)
                }
                guard !keys.isEmpty else { throw item.error("admin '\(name)' needs at least one SSH key: password logins are disabled") }
                access.admins.append(Admin(name: name, keys: keys))
            }
        }
        if let sources = map["ssh_allow_from"] {
            access.sshAllowedSources = try sources.sequence().map { item in
                let text = try item.string(.sshAllowFrom)
                guard let network = IPNetwork(text, strict: true) else { throw item.error("\(Echo.quoted(text)) in 'ssh_allow_from' is not an address prefix") }
                if let defect = AddressScope.sourcePrefixDefect(network) { throw item.error("\(network) in 'ssh_allow_from' \(defect)") }
                return network
            }
            guard !access.sshAllowedSources.isEmpty else { throw sources.error("'ssh_allow_from' is empty: nobody could log in") }
        }
        return access
    }

    private mutating func readGateway(_ value: YAMLValue) throws -> Gateway {
        let map = try value.mapping(knownKeys: ["name", "ssh", "uplink", "addresses", "public_host", "gluon_peer", "gluon_wireguard_peer", "tinc_public_key", "exit_address", "wireguard_public_key"])
        let nameValue = try map.required("name")
        let name = try hostLabel(nameValue, .gatewayName)
        note(nameValue)
        let connection = try readConnection(map["ssh"])
        let uplinkValue = map["uplink"]
        let uplink = try uplinkValue?.string(.uplink) ?? SiteDefaults.uplink
        if let uplinkValue { note(uplinkValue) } else { locations["\(value.path).uplink"] = nameValue.location }
        var domains: [GatewayDomain] = []
        for (keyValue, entry) in try map.required("addresses").pairs(keys: .addressDomain) {
            let code = keyValue.plainText ?? ""
            note(YAMLValue(node: keyValue.node, file: file, path: entry.path))
            let entryMap = try entry.mapping(knownKeys: ["ipv4", "ipv6", "dhcp_range", "fastd_public_key", "fastd_secret_file", "remotes", "peer_group", "fastd_port"])
            var ipv4: IPv4Address?
            if let v4 = entryMap["ipv4"] {
                let text = try v4.string(.gatewayIPv4)
                guard let address = IPv4Address(text) else { throw v4.error("\(Echo.quoted(text)) is not an IPv4 address") }
                if let scope = AddressScope.of(address) { throw v4.error("gateway address \(address) is \(scope.rawValue), not a unicast address") }
                ipv4 = address
                note(v4)
            }
            let v6 = try entryMap.required("ipv6")
            let v6Text = try v6.string(.gatewayIPv6)
            guard let ipv6 = IPv6Address(v6Text) else { throw v6.error("\(Echo.quoted(v6Text)) is not an IPv6 address") }
            if let scope = AddressScope.of(ipv6) { throw v6.error("gateway address \(ipv6) is \(scope.rawValue), not a unicast address") }
            note(v6)
            var range: IPv4Range?
            if let rangeValue = entryMap["dhcp_range"] { range = try ipv4Range(rangeValue, .gatewayDHCPRange); note(rangeValue) }
            var gatewayDomain = GatewayDomain(code: code, ipv4: ipv4, ipv6: ipv6, dhcpRange: range)
            if let key = entryMap["fastd_public_key"] { gatewayDomain.fastdPublicKey = try hexKey(key, .fastdPublicKey) }
            if let secret = entryMap["fastd_secret_file"] { gatewayDomain.fastdSecretFile = try secret.string(.fastdSecretFile); note(secret) }
            try readGluonPeerFields(entryMap, into: &gatewayDomain)
            if let port = entryMap["fastd_port"] { gatewayDomain.fastdPort = try port.int(in: 1...65535); note(port) }
            domains.append(gatewayDomain)
        }
        var gateway = Gateway(name: name, connection: connection, uplink: uplink, domains: domains)
        if let host = map["public_host"] {
            gateway.publicHost = try self.host(host, .publicHost) { "'public_host' must be a host name or an IP address, not \($0)" }
            note(host)
        }
        if let peer = map["gluon_peer"] { gateway.gluonPeer = try gluonPeerName(peer) }
        if let peer = map["gluon_wireguard_peer"] { gateway.gluonWireGuardPeer = try gluonPeerName(peer, .gatewayGluonWireGuardPeer) }
        if let key = map["tinc_public_key"] { gateway.tincPublicKey = try tincPublicKey(key) }
        if let address = map["exit_address"] { gateway.exitAddress = try exitAddress(address) }
        if let key = map["wireguard_public_key"] { gateway.wireguardPublicKey = try wireguardPublicKey(key) }
        return gateway
    }

    /// What nodes are told (gluon export/check), at site level or per domain.
    private mutating func readFirmware(_ value: YAMLValue?) throws -> FirmwareSettings? {
        guard let value else { return nil }
        let map = try value.mapping(knownKeys: ["ntp_servers", "dns_servers", "backbone_limit"] + Self.gluonFirmwareKeys(at: value.path))
        var settings = FirmwareSettings()
        if let servers = map["ntp_servers"] {
            note(servers)
            let field: SiteField = value.path == "firmware" ? .firmwareNTPServers : .domainFirmwareNTPServers
            settings.ntpServers = try servers.sequence().map { item in
                try host(item, field) { "NTP server \($0) is neither an address nor a host name" }
            }
        }
        if let servers = map["dns_servers"] {
            note(servers)
            settings.dnsServers = try servers.sequence().map { item in
                let text = try item.string(value.path == "firmware" ? .firmwareDNSServers : .domainFirmwareDNSServers)
                guard let address = IPAddress(text) else { throw item.error("DNS server \(Echo.quoted(text)) is not an IP address (nodes cannot resolve a name to find their resolver)") }
                if let scope = AddressScope.of(address) { throw item.error("DNS server \(address) is \(scope.rawValue), which nodes cannot ask") }
                return address
            }
        }
        if let limit = map["backbone_limit"] { settings.backboneLimit = try limit.int(in: 1...64); note(limit) }
        try readGluonFirmware(map, into: &settings)
        return settings
    }

    /// The firmware's next-node addresses; the validator checks they lie in the domain's prefixes.
    private mutating func readNextNode(_ value: YAMLValue?) throws -> NextNode? {
        guard let value else { return nil }
        let map = try value.mapping(knownKeys: ["ipv4", "ipv6", "mac"])
        var node = NextNode()
        if let v4 = map["ipv4"] {
            let text = try v4.string(.nextNodeIPv4)
            guard let address = IPv4Address(text) else { throw v4.error("next_node ipv4 \(Echo.quoted(text)) is not an IPv4 address") }
            node.ipv4 = address
            note(v4)
        }
        if let v6 = map["ipv6"] {
            let text = try v6.string(.nextNodeIPv6)
            guard let address = IPv6Address(text) else { throw v6.error("next_node ipv6 \(Echo.quoted(text)) is not an IPv6 address") }
            node.ipv6 = address
            note(v6)
        }
        if let mac = map["mac"] {
            let text = try mac.string(.nextNodeMAC)
            guard NextNode.isMACAddress(text) else { throw mac.error("next_node mac \(Echo.quoted(text)) is not a MAC address (want 16:41:95:40:f7:dc)") }
            node.mac = text.lowercased()
            note(mac)
        }
        note(value)
        return node
    }

    /// 64 hex digits (fastd keys, domain seeds), stored lower-case so comparisons ignore case.
    private mutating func hexKey(_ value: YAMLValue, _ field: SiteField) throws -> String {
        let text = try value.string(field)
        guard HexKey.isValid(text) else { throw value.error("'\(field.label)' must be 64 hex digits, not \(Echo.quoted(text))") }
        note(value)
        return text.lowercased()
    }

    /// `local`, `user@host[:port]`, or a mapping with user/host/port; no part may start with `-`,
    /// which ssh would read as an option (`-oProxyCommand=…`).
    private func readConnection(_ value: YAMLValue?) throws -> GatewayConnection {
        guard let value else { return .local }
        if case .mapping = value.node {
            let map = try value.mapping(knownKeys: ["user", "host", "port"])
            let hostValue = try map.required("host")
            let host = try sshHost(hostValue.string(.gatewaySSHHost), at: hostValue)
            let user = try map["user"]?.string(.gatewaySSHUser) { text, reason in "SSH user \(Echo.quoted(text)) \(reason)" } ?? "root"
            return .ssh(user: user, host: host, port: try map["port"]?.int(in: 1...65535) ?? 22)
        }
        let text = try value.string(.gatewaySSH) { text, reason in "'ssh' \(Echo.quoted(text)) \(reason)" }
        if text == "local" { return .local }
        let malformed = "'ssh' must be 'local' or 'user@host[:port]', not \(Echo.quoted(text))"
        var rest = Substring(text)
        var user = "root"
        if let at = rest.firstIndex(of: "@") {
            user = String(rest[..<at])
            rest = rest[rest.index(after: at)...]
            guard !user.isEmpty else { throw value.error(malformed) }
            if let reason = FieldGrammar.userNameDefect(user) { throw value.error("SSH user \(Echo.quoted(user)) in 'ssh' \(reason)") }
        }
        var port = 22
        func readPort(_ digits: Substring) throws -> Int {
            guard digits.allSatisfy(\.isASCIIDigit), let number = Int(digits), (1...65535).contains(number) else {
                throw value.error("'ssh' port in \(Echo.quoted(text)) must be between 1 and 65535")
            }
            return number
        }
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            // `[2001:db8::1]:2222`: the brackets are what tell the port from the address.
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { throw value.error(malformed) }
                port = try readPort(after.dropFirst())
            }
            rest = rest[rest.index(after: rest.startIndex)..<close]
        } else if let colon = rest.lastIndex(of: ":"), rest.filter({ $0 == ":" }).count == 1 {
            port = try readPort(rest[rest.index(after: colon)...])
            rest = rest[..<colon]
        }
        guard !rest.isEmpty, !rest.contains(" ") else { throw value.error(malformed) }
        return .ssh(user: user, host: try sshHost(String(rest), at: value), port: port)
    }

    /// An SSH host: a DNS name or an IP literal, never something ssh reads as an option.
    private func sshHost(_ host: String, at value: YAMLValue) throws -> String {
        if host.hasPrefix("-") { throw value.error("SSH host \(Echo.quoted(host)) starts with '-', which ssh would read as an option") }
        guard FieldGrammar.isHost(host) else { throw value.error("SSH host \(Echo.quoted(host)) is neither a DNS name nor an IP address") }
        return host
    }

    /// An IPv4 range of unicast addresses, `first-last`.
    private func ipv4Range(_ value: YAMLValue, _ field: SiteField) throws -> IPv4Range {
        let text = try value.string(field)
        let parts = text.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let first = IPv4Address(parts[0]), let last = IPv4Address(parts[1]) else {
            throw value.error("\(Echo.quoted(text)) is not an IPv4 range (want 10.99.1.0-10.99.63.255)")
        }
        guard first <= last else { throw value.error("range \(Echo.quoted(text)) ends before it starts") }
        if let scope = AddressScope.of(first) ?? AddressScope.of(last) { throw value.error("range \(Echo.quoted(text)) lies in \(scope.rawValue) space") }
        return IPv4Range(first: first, last: last)
    }

    /// Codes and interface stems: letters, digits, `_` and `-`, starting with a letter.
    private func identifier(_ value: YAMLValue, _ field: SiteField) throws -> String {
        try value.string(field)
    }

    private func hostLabel(_ value: YAMLValue, _ field: SiteField) throws -> String {
        try value.string(field) { text, _ in "gateway name \(Echo.quoted(text)) must be a host name label (letters, digits, '-')" }
    }

    private func domainName(_ value: YAMLValue, _ field: SiteField) throws -> String {
        try value.string(field) { text, _ in "\(Echo.quoted(text)) is not a DNS name" }
    }

    /// A DNS name or an IP address (NTP servers, public hosts); `message` words a refusal from the quoted value.
    private func host(_ value: YAMLValue, _ field: SiteField, message: @escaping (String) -> String) throws -> String {
        try value.string(field) { text, _ in message(Echo.quoted(text)) }
    }

    /// fail2ban durations: seconds, or a number with s/m/h/d/w.
    private func duration(_ value: YAMLValue, _ field: SiteField) throws -> String {
        let text = try value.string(field)
        var digits = Substring(text)
        if let last = digits.last, "smhdw".contains(last) { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy(\.isASCIIDigit) else { throw value.error("\(Echo.quoted(text)) is not a duration (e.g. 600, 10m, 1h, 1d)") }
        return text
    }
}
