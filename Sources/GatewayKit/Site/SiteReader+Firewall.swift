import GatewayBase

extension SiteReader {
    /// `firewall.open`: extra openings, refused where they would widen or duplicate what gwsetup already decides.
    mutating func readFirewall(_ value: YAMLValue, site: Site) throws -> FirewallSettings {
        let map = try value.mapping(knownKeys: ["open"])
        var settings = FirewallSettings()
        guard let openValues = map["open"] else { return settings }
        for item in try openValues.sequence() {
            let opening = try readOpening(item, site: site)
            if let earlier = settings.openings.first(where: { $0.name == opening.name }) {
                throw item.error("firewall opening '\(opening.name)' is listed twice (the first is \(earlier.side.rawValue) \(earlier.label))")
            }
            if let earlier = settings.openings.first(where: { $0.side == opening.side && $0.transport == opening.transport && $0.ports.overlaps(opening.ports) }) {
                throw item.error("firewall opening '\(opening.name)' (\(opening.label) on the \(opening.side.rawValue)) overlaps '\(earlier.name)' (\(earlier.label))")
            }
            settings.openings.append(opening)
            note(item)
        }
        return settings
    }

    private func readOpening(_ item: YAMLValue, site: Site) throws -> FirewallOpening {
        let map = try item.mapping(knownKeys: ["name", "on", "proto", "port", "from"])
        let sideValue = try map.required("on")
        let sideText = try sideValue.string(.firewallOpenSide)
        guard let side = FirewallOpening.Side(rawValue: sideText) else { throw sideValue.error("'on' must be uplink or mesh, not \(Echo.quoted(sideText))") }
        let protocolValue = try map.required("proto")
        let protocolText = try protocolValue.string(.firewallOpenProtocol)
        guard let transport = FirewallOpening.TransportProtocol(rawValue: protocolText) else {
            throw protocolValue.error("'proto' must be tcp or udp, not \(Echo.quoted(protocolText))")
        }
        let portValue = try map.required("port")
        let ports = try portRange(portValue)
        var sources: [IPNetwork] = []
        if let fromValue = map["from"] {
            sources = try fromValue.sequence().map { source in
                let text = try source.string(.firewallOpenFrom)
                guard let network = IPNetwork(text, strict: true) else { throw source.error("\(Echo.quoted(text)) in 'from' is not an address prefix (no host bits)") }
                if side == .uplink, let scope = AddressScope.sourcePrefixScope(network) {
                    throw source.error("\(network) in 'from' lies in \(scope.rawValue) space, which never reaches the uplink")
                }
                return network
            }
            guard !sources.isEmpty else { throw fromValue.error("'from' is empty, which would open the port to nobody; leave it out to open it to anyone") }
        }
        let name = try map["name"].map { try $0.string(.firewallOpenName) } ?? defaultName(transport, ports)
        let opening = FirewallOpening(name: name, side: side, transport: transport, ports: ports, sources: sources)
        if let conflict = Self.conflict(of: opening, in: site) { throw portValue.error("firewall opening '\(name)': \(conflict)") }
        return opening
    }

    /// `443` (a YAML integer) or `"60000-60100"`.
    private func portRange(_ value: YAMLValue) throws -> ClosedRange<Int> {
        if let port = try? value.int(in: 1...65535) { return port...port }
        let text = try value.string(.firewallOpenPort)
        let ends = text.split(separator: "-", omittingEmptySubsequences: false)
        guard ends.count == 2, let first = Int(ends[0]), let last = Int(ends[1]), ends.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
              (1...65535).contains(first), (1...65535).contains(last), first < last else {
            throw value.error("'port' must be a port 1-65535 or a range FIRST-LAST with FIRST < LAST, not \(Echo.quoted(text))")
        }
        return first...last
    }

    private func defaultName(_ transport: FirewallOpening.TransportProtocol, _ ports: ClosedRange<Int>) -> String {
        ports.count == 1 ? "\(transport.rawValue)-\(ports.lowerBound)" : "\(transport.rawValue)-\(ports.lowerBound)-\(ports.upperBound)"
    }

    /// Why the opening clashes with what gwsetup decides itself, nil when it does not.
    static func conflict(of opening: FirewallOpening, in site: Site) -> String? {
        let claimed = GatewayPorts(site: site)
        let taken = opening.side == .uplink ? claimed.uplinkOwned : claimed.meshOpened
        let clash = taken.first { $0.transport == opening.transport && opening.ports.contains($0.port) }
        guard let clash else { return nil }
        return "\(opening.transport.rawValue)/\(clash.port) on the \(opening.side.rawValue) \(clash.reason)"
    }
}
