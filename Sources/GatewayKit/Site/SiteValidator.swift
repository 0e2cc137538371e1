import GatewayBase

/// Cross-checks that no single value can show: overlaps, collisions and addresses outside their prefix.
struct SiteValidator {
    let site: Site
    let locations: [String: SourceLocation]
    let file: String
    private var errors: [SiteError] = []
    private var warnings: [Diagnostic] = []

    init(site: Site, locations: [String: SourceLocation], file: String) {
        self.site = site
        self.locations = locations
        self.file = file
    }

    func validate() -> (errors: [SiteError], warnings: [Diagnostic]) {
        var validator = self
        validator.checkDomains()
        validator.checkGateways()
        validator.checkGatewayFastdPorts()
        validator.checkDHCP()
        validator.checkNextNodes()
        validator.checkBackbone()
        validator.checkExit()
        return (validator.errors, validator.warnings)
    }

    /// The position of `path`, or of its closest written ancestor when the value was a default.
    private func locate(_ path: String) -> SourceLocation? {
        var components = path.split(separator: ".").map(String.init)
        while !components.isEmpty {
            if let location = locations[components.joined(separator: ".")] { return location }
            let last = components.removeLast()
            if Int(last) != nil, let code = locations[(components + [last, "code"]).joined(separator: ".")] { return code }
            if Int(last) != nil, let name = locations[(components + [last, "name"]).joined(separator: ".")] { return name }
        }
        return SourceLocation(file: file, line: 1, column: 1)
    }

    mutating func fail(_ path: String, _ message: String) { errors.append(SiteError(message, at: locate(path))) }
    mutating func warn(_ path: String, _ message: String) { warnings.append(Diagnostic.warning(location: locate(path), message: message)) }

    private mutating func checkDomains() {
        var codes: [String: Int] = [:]
        var interfaceNames: [String: Int] = [:]
        var ports: [Int: String] = [site.access.sshPort: "the SSH port"]
        for (index, domain) in site.domains.enumerated() {
            let path = "domains.\(index)"
            if let other = codes[domain.code] { fail("\(path).code", "domain code '\(domain.code)' is used by domain \(other + 1) too") }
            codes[domain.code] = index
            if let other = interfaceNames[domain.interfaceName] {
                fail("\(path).interface_name", "interface name '\(domain.interfaceName)' is used by domain '\(site.domains[other].code)' too")
            }
            interfaceNames[domain.interfaceName] = index
            let longest = domain.createdInterfaces.max { $0.count < $1.count }!
            if longest.count > SiteDefaults.maxInterfaceNameLength {
                let budget = SiteDefaults.maxInterfaceNameLength - (longest.count - domain.interfaceName.count)
                fail("\(path).interface_name", "interface '\(longest)' is longer than \(SiteDefaults.maxInterfaceNameLength) characters; set a shorter 'interface_name' (at most \(budget))")
            }
            if domain.prefix6.prefixLength != 64 {
                fail("\(path).prefix6", "prefix6 \(domain.prefix6) must be a /64: SLAAC and router advertisements need one")
            }
            if !SiteDefaults.mtuRange.contains(domain.mtu) {
                fail("\(path).mtu", "mtu \(domain.mtu) is outside what fastd and batman-adv can carry (\(SiteDefaults.mtuRange.lowerBound)–\(SiteDefaults.mtuRange.upperBound))")
            } else if domain.mtu < SiteDefaults.mtuWarningBelow {
                warn("\(path).mtu", "mtu \(domain.mtu) is below \(SiteDefaults.mtuWarningBelow): batman-adv adds 32 bytes, so full-size 1280-byte packets will not fit")
            } else if domain.mtu > SiteDefaults.mtuWarningAbove {
                warn("\(path).mtu", "mtu \(domain.mtu) is above \(SiteDefaults.mtuWarningAbove): fastd packets fragment when nodes connect over IPv6")
            }
            checkFastdPorts(of: domain, at: path, claimed: &ports)
            checkWireGuard(of: domain, at: path, claimed: &ports)
            for (otherIndex, other) in site.domains.enumerated() where otherIndex < index {
                if let mine = domain.prefix4, let theirs = other.prefix4, mine.overlaps(theirs) {
                    fail("\(path).prefix4", "prefix4 \(mine) of domain '\(domain.code)' overlaps \(theirs) of domain '\(other.code)'")
                }
                if domain.prefix6.overlaps(other.prefix6) {
                    fail("\(path).prefix6", "prefix6 \(domain.prefix6) of domain '\(domain.code)' overlaps \(other.prefix6) of domain '\(other.code)'")
                }
            }
            let members = site.gateways.filter { $0.domain(domain.code) != nil }.map(\.name)
            for (routerIndex, router) in domain.routerAdvertisement.defaultRouters.enumerated() where !members.contains(router) {
                let why = site.gateway(router) == nil ? "no gateway is called '\(router)'" : "gateway '\(router)' has no addresses in domain '\(domain.code)'"
                fail("\(path).router_advertisement.default_routers.\(routerIndex)", "default router '\(router)' is not a gateway of domain '\(domain.code)': \(why)")
            }
            if !site.gateways.contains(where: { $0.domain(domain.code) != nil }) {
                warn("\(path).code", "no gateway serves domain '\(domain.code)'")
            }
        }
    }

    private mutating func checkGateways() {
        var names: [String: Int] = [:]
        var usedAddresses: [String: String] = [:]
        // The reader checked each uplink's grammar; only the site knows the interfaces it creates itself.
        var meshInterfaces: [String: String] = [:]
        for domain in site.domains {
            for name in domain.createdInterfaces { meshInterfaces[name] = domain.code }
        }
        for (index, gateway) in site.gateways.enumerated() {
            let path = "gateways.\(index)"
            if names[gateway.name] != nil { fail("\(path).name", "gateway name '\(gateway.name)' is used twice") }
            names[gateway.name] = index
            if let reason = SiteField.uplink.grammar.defect(in: gateway.uplink) {
                let text = gateway.uplink
                let classic = text.isEmpty || text.utf8.count > SiteDefaults.maxInterfaceNameLength || text.contains("/") || text.contains(" ")
                fail("\(path).uplink", classic
                    ? "uplink \(Echo.quoted(text)) is not a valid interface name (1–\(SiteDefaults.maxInterfaceNameLength) characters, no '/' or space)"
                    : "uplink \(Echo.quoted(text)) \(reason)")
            } else if let code = meshInterfaces[gateway.uplink] {
                fail("\(path).uplink", "uplink '\(gateway.uplink)' is an interface gwsetup creates for domain '\(code)'; name the WAN interface")
            }
            if gateway.domains.isEmpty { fail("\(path).name", "gateway '\(gateway.name)' has no addresses in any domain") }
            for entry in gateway.domains {
                let entryPath = "\(path).addresses.\(entry.code)"
                guard let domain = site.domain(entry.code) else {
                    let hint = Suggestion.closest(to: entry.code, among: site.domains.map(\.code)).map { "; did you mean '\($0)'?" } ?? ""
                    fail(entryPath, "gateway '\(gateway.name)' has addresses in domain '\(entry.code)', which does not exist\(hint)")
                    continue
                }
                switch (domain.prefix4, entry.ipv4) {
                case (nil, .some):
                    fail("\(entryPath).ipv4", "domain '\(domain.code)' has no prefix4, so gateway '\(gateway.name)' cannot have an IPv4 address in it")
                case (.some, nil):
                    fail(entryPath, "gateway '\(gateway.name)' needs an 'ipv4' address in domain '\(domain.code)'")
                case (.some(let prefix), .some(let address)):
                    if !prefix.contains(address) {
                        fail("\(entryPath).ipv4", "gateway address \(address) is outside prefix4 \(prefix) of domain '\(domain.code)'")
                    } else if address == prefix.first || address == prefix.last {
                        fail("\(entryPath).ipv4", "gateway address \(address) is the \(address == prefix.first ? "network" : "broadcast") address of \(prefix)")
                    }
                    if let other = usedAddresses[address.description] { fail("\(entryPath).ipv4", "address \(address) is used by \(other) too") }
                    usedAddresses[address.description] = "gateway '\(gateway.name)'"
                case (nil, nil):
                    break
                }
                if !domain.prefix6.contains(entry.ipv6) {
                    fail("\(entryPath).ipv6", "gateway address \(entry.ipv6) is outside prefix6 \(domain.prefix6) of domain '\(domain.code)'")
                } else if entry.ipv6 == domain.prefix6.address {
                    fail("\(entryPath).ipv6", "gateway address \(entry.ipv6) is the subnet-router anycast address of \(domain.prefix6)")
                }
                if let other = usedAddresses[entry.ipv6.description] { fail("\(entryPath).ipv6", "address \(entry.ipv6) is used by \(other) too") }
                usedAddresses[entry.ipv6.description] = "gateway '\(gateway.name)'"
            }
        }
    }

    private mutating func checkDHCP() {
        for (index, domain) in site.domains.enumerated() {
            let path = "domains.\(index)"
            guard let prefix = domain.prefix4 else {
                if domain.dhcp.range != nil { fail("\(path).dhcp.range", "domain '\(domain.code)' has no prefix4, so it cannot have a DHCP range") }
                for (gatewayIndex, gateway) in site.gateways.enumerated() where gateway.domain(domain.code)?.dhcpRange != nil {
                    fail("gateways.\(gatewayIndex).addresses.\(domain.code).dhcp_range", "domain '\(domain.code)' has no prefix4, so gateway '\(gateway.name)' cannot have a DHCP range in it")
                }
                continue
            }
            // Sorted, so each range finds the gateway addresses inside it by binary search instead of a scan.
            let gatewayAddresses = site.gateways.compactMap { gateway in gateway.domain(domain.code)?.ipv4.map { (name: gateway.name, address: $0) } }
                .sorted { $0.address < $1.address }
            /// Reports what is wrong with one range; true when it is fine.
            func checkRange(_ range: IPv4Range, _ rangePath: String, owner: String) -> Bool {
                let before = errors.count
                if !prefix.contains(range.first) || !prefix.contains(range.last) {
                    fail(rangePath, "DHCP range \(range)\(owner) is outside prefix4 \(prefix) of domain '\(domain.code)'")
                } else if range.first == prefix.first || range.last == prefix.last {
                    fail(rangePath, "DHCP range \(range)\(owner) includes the network or broadcast address of \(prefix)")
                }
                var inside = Self.firstIndex(in: gatewayAddresses, notBelow: range.first)
                while inside < gatewayAddresses.count, gatewayAddresses[inside].address <= range.last {
                    let (name, address) = gatewayAddresses[inside]
                    fail(rangePath, "DHCP range \(range)\(owner) contains the address \(address) of gateway '\(name)'")
                    inside += 1
                }
                if let nextNode = domain.nextNode?.ipv4, range.contains(nextNode) {
                    fail(rangePath, "DHCP range \(range)\(owner) contains the address \(nextNode), the next_node address of domain '\(domain.code)' that every node answers on")
                }
                return errors.count == before
            }
            // Slots are cut from the domain's range, so a bad range is reported once, not once more per gateway.
            let poolIsSound = domain.dhcp.range.map { checkRange($0, "\(path).dhcp.range", owner: "") } ?? true
            if DHCPPool.pool(of: domain) == nil, site.gateways.contains(where: { $0.domain(domain.code).map { $0.dhcpRange == nil } ?? false }) {
                fail("\(path).prefix4", "prefix4 \(prefix) of domain '\(domain.code)' is too small for a DHCP pool; give 'dhcp.range'")
                continue
            }
            let ranges = DHCPPool.ranges(for: domain, in: site)
            let reserved = DHCPPool.reservedAddresses(of: domain, in: site)
            let members = site.gateways.enumerated().filter { $0.element.domain(domain.code) != nil }
            var checked: [(index: Int, name: String, range: IPv4Range)] = []
            let poolPath = domain.dhcp.range == nil ? "\(path).prefix4" : "\(path).dhcp.range"
            let tooSmall = { (name: String) in "the DHCP pool of domain '\(domain.code)' is too small to give gateway '\(name)' a slot; give a larger pool or a 'dhcp_range' per gateway" }
            for (gatewayIndex, gateway) in members {
                guard let range = ranges[gateway.name] else {
                    // A gateway without a range would silently hand out no addresses.
                    fail(poolPath, tooSmall(gateway.name))
                    continue
                }
                let rangePath = "gateways.\(gatewayIndex).addresses.\(domain.code).dhcp_range"
                if gateway.domain(domain.code)?.dhcpRange != nil {
                    _ = checkRange(range, rangePath, owner: " of gateway '\(gateway.name)'")
                } else if poolIsSound, DHCPPool.split(range, around: reserved).isEmpty {
                    // An automatic slot splits around reserved addresses; only one that holds nothing else fails.
                    fail(poolPath, tooSmall(gateway.name))
                }
                checked.append((gatewayIndex, gateway.name, range))
            }
            reportOverlaps(checked, domain: domain)
        }
    }

    /// The index of the first address not below `address` in a sorted list.
    private static func firstIndex(in sorted: [(name: String, address: IPv4Address)], notBelow address: IPv4Address) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle].address < address { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Overlapping DHCP ranges of one domain, found by a sweep in address order (n log n, not every pair);
    /// each overlap is reported at the later gateway in the file, naming the earlier one.
    private mutating func reportOverlaps(_ ranges: [(index: Int, name: String, range: IPv4Range)], domain: MeshDomain) {
        // Ranges are keyed by name; a repeated name is reported by the gateway checks already.
        var seenNames: Set<String> = []
        let unique = ranges.filter { seenNames.insert($0.name).inserted }
        let sorted = unique.sorted { ($0.range.first, $0.index) < ($1.range.first, $1.index) }
        var found: [(at: Int, message: String)] = []
        var open: [(index: Int, name: String, range: IPv4Range)] = []
        for current in sorted {
            // Only ranges still open at this start can overlap it; in a sound site that is at most one.
            open.removeAll { $0.range.last < current.range.first }
            for other in open {
                let (later, earlier) = other.index < current.index ? (current, other) : (other, current)
                found.append((later.index, "DHCP range \(later.range) of gateway '\(later.name)' overlaps \(earlier.range) of gateway '\(earlier.name)' in domain '\(domain.code)'"))
            }
            open.append(current)
        }
        for (index, message) in found.sorted(by: { $0.at < $1.at }) {
            fail("gateways.\(index).addresses.\(domain.code).dhcp_range", message)
        }
    }

    /// Every node answers on the next-node addresses, so they must lie in the domain and no gateway may take them.
    private mutating func checkNextNodes() {
        for (index, domain) in site.domains.enumerated() {
            guard let nextNode = domain.nextNode else { continue }
            let path = "domains.\(index).next_node"
            if let ipv4 = nextNode.ipv4 {
                if let prefix = domain.prefix4 {
                    if !prefix.contains(ipv4) { fail("\(path).ipv4", "next_node ipv4 \(ipv4) is outside prefix4 \(prefix) of domain '\(domain.code)'") }
                } else {
                    fail("\(path).ipv4", "domain '\(domain.code)' has no prefix4, so it cannot have a next_node ipv4")
                }
            }
            if let ipv6 = nextNode.ipv6, !domain.prefix6.contains(ipv6) {
                fail("\(path).ipv6", "next_node ipv6 \(ipv6) is outside prefix6 \(domain.prefix6) of domain '\(domain.code)'")
            }
            for (gatewayIndex, gateway) in site.gateways.enumerated() {
                guard let entry = gateway.domain(domain.code) else { continue }
                let entryPath = "gateways.\(gatewayIndex).addresses.\(domain.code)"
                if let ipv4 = nextNode.ipv4, entry.ipv4 == ipv4 {
                    fail("\(entryPath).ipv4", "gateway '\(gateway.name)' has \(ipv4), the next_node address of domain '\(domain.code)' that every node answers on")
                }
                if let ipv6 = nextNode.ipv6, entry.ipv6 == ipv6 {
                    fail("\(entryPath).ipv6", "gateway '\(gateway.name)' has \(ipv6), the next_node address of domain '\(domain.code)' that every node answers on")
                }
            }
        }
    }
}
