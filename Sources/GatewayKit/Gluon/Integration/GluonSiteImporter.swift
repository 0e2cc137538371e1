import GatewayBase
import GluonKit

/// Writes a site file from a Gluon site: the firmware's values taken over, bridge addresses assigned, and
/// clearly marked placeholders only where a site.conf cannot know the answer (uplink, SSH access) or holds one itself.
public struct GluonSiteImporter {
    let gluon: GluonSite
    let outputName: String
    private var writer = YAMLWriter()
    private var notes: [String] = []
    private var blocking: [Int] = []

    private init(gluon: GluonSite, outputName: String) {
        self.gluon = gluon
        self.outputName = outputName
    }

    /// Builds the whole file; never throws: whatever cannot be imported becomes a placeholder and a note.
    public static func makeSite(from gluon: GluonSite, outputName: String = "site.yaml") -> GluonImport {
        var importer = GluonSiteImporter(gluon: gluon, outputName: outputName)
        let domains = gluon.domains.map(GluonImportedDomain.init)
        let gateways = GluonImportedGateway.union(of: gluon.domains)
        importer.writeHeader()
        importer.writeFirmware(domains)
        importer.writeDomains(domains)
        importer.writeAccess()
        importer.writeGateways(gateways, domains: domains)
        importer.notes += GluonImportedShape.sharedSSHTargets(gateways)
        return GluonImport(yaml: importer.writer.text, notes: importer.notes, blockingPlaceholderLines: importer.blocking)
    }

    private mutating func write(_ indent: Int, _ key: String, _ value: ImportedValue, comment: String? = nil) {
        switch value {
        case .value(let text):
            writer.line(indent, key, text, comment: comment)
        case .placeholder(let text, let why):
            blocking.append(writer.nextLine)
            notes.append("\(outputName):\(writer.nextLine): PLACEHOLDER \(key): \(why)")
            writer.line(indent, key, text, comment: "PLACEHOLDER: " + why)
        }
    }

    /// A value that loads but is only a guess the admin must confirm: marked like a placeholder and listed on stderr.
    private mutating func unfinished(_ indent: Int, _ key: String, _ value: String, why: String) {
        notes.append("\(outputName):\(writer.nextLine): PLACEHOLDER \(key): \(why)")
        writer.line(indent, key, value, comment: "PLACEHOLDER: " + why)
    }

    private mutating func writeHeader() {
        writer.comment("Written by `gwsetup gluon import` from the Gluon site \(gluon.siteCode). Values come from the firmware;")
        writer.comment("lines marked PLACEHOLDER need an answer a site.conf cannot give. `gwsetup gluon check` compares both later.")
        writer.line(0, "site")
        writer.line(2, "code", YAMLWriter.scalar(GluonNames.identifier(for: gluon.siteCode)),
                    comment: GluonNames.identifier(for: gluon.siteCode) == gluon.siteCode ? nil : "site_code \(gluon.siteCode)")
        if let name = gluon.siteName { writer.line(2, "name", YAMLWriter.scalar(name)) }
        writer.blank()
    }

    /// Site-wide `firmware` holds what every domain agrees on; the rest goes to each domain's own `firmware`.
    private mutating func writeFirmware(_ domains: [GluonImportedDomain]) {
        let shared = GluonImportedFirmware.shared(domains.map(\.firmware))
        let layout = GluonImportedShape.layout(of: gluon).flatMap { $0 == .meshVPNFastdMTU ? nil : $0 }
        guard !shared.isEmpty || layout != nil || gluon.isMultidomain else { return }
        writer.comment("What nodes are told (site.conf: ntp_servers, dns.servers, mesh_vpn.fastd.groups.<group>.limit).")
        writer.line(0, "firmware")
        writeFirmwareFields(shared, indent: 2)
        if let layout { writer.line(2, "layout", layout.rawValue, comment: "the firmware's Gluon generation; gluon export writes this layout") }
        if let name = gluon.defaultDomainName {
            writer.line(2, "default_domain", YAMLWriter.scalar(name), comment: "a multidomain site (GLUON_MULTIDOMAIN=1)")
        }
        writer.blank()
    }

    private mutating func writeFirmwareFields(_ firmware: GluonImportedFirmware, indent: Int) {
        if let ntp = firmware.ntpServers { write(indent, "ntp_servers", ntp) }
        if let dns = firmware.dnsServers { write(indent, "dns_servers", dns) }
        if let limit = firmware.backboneLimit { writer.line(indent, "backbone_limit", String(limit)) }
    }

    private mutating func writeDomains(_ domains: [GluonImportedDomain]) {
        let shared = GluonImportedFirmware.shared(domains.map(\.firmware))
        let stems = GluonNames.interfaceStems(for: domains.map(\.code), siteCode: GluonNames.identifier(for: gluon.siteCode))
        writer.line(0, "domains")
        for domain in domains {
            let source = domain.gluon
            writer.item(2, "code", YAMLWriter.scalar(domain.code),
                        comment: domain.code == source.code ? nil : "Gluon domain code \(source.code)")
            if let stem = stems[domain.code] {
                writer.line(4, "interface_name", stem, comment: "bat-\(domain.code) would exceed Linux's \(SiteDefaults.maxInterfaceNameLength) characters")
            }
            if let prefix4 = domain.prefix4 { write(4, "prefix4", prefix4.yaml, comment: domain.comment(for: ["prefix4"])) }
            write(4, "prefix6", domain.prefix6.yaml, comment: domain.comment(for: ["prefix6"]))
            if let key = source.babelKey {
                // Babel is the first reason no gateway fits, so the mesh VPN (WireGuard or not) goes unmentioned.
                writer.comment("Babel (\(key)), not batman-adv: gwsetup builds batman-adv gateways only.", indent: 4)
                notes.append("note: \(source.config.location(at: [key])?.description ?? source.code): domain '\(domain.code)' meshes with Babel (\(key)), not batman-adv; gwsetup builds batman-adv gateways, and Gluon v2025.1 dropped Babel from its core")
            }
            if let mtu = source.meshVPN.fastd?.mtu {
                writer.line(4, "mtu", String(mtu.value), comment: [mtu.layout.keyPath, mtu.location?.description].compactMap { $0 }.joined(separator: ", "))
            } else if source.meshVPN.fastd != nil {
                writer.line(4, "mtu", String(SiteDefaults.mtu), comment: "the firmware sets no fastd mtu; gwsetup's default")
                notes.append("note: domain '\(domain.code)' sets no fastd mtu; the site uses \(SiteDefaults.mtu)")
            }
            if let seed = domain.domainSeed { write(4, "domain_seed", seed) }
            if domain.nextNode.contains(where: { $0 != nil }) {
                writer.line(4, "next_node")
                for (key, value) in zip(["ipv4", "ipv6", "mac"], domain.nextNode) {
                    if let value { write(6, key, value) }
                }
            }
            if let wireguard = source.meshVPN.wireguard, source.babelKey == nil {
                writeWireGuard(GluonImportedWireGuard(wireguard, domain: source, code: domain.code))
            }
            if let fastd = source.meshVPN.fastd {
                writer.line(4, "fastd")
                if let port = domain.port { write(6, "port", port, comment: domain.portComment) }
                if !fastd.methods.isEmpty {
                    writer.line(6, "methods", YAMLWriter.flowList(fastd.methods))
                }
            }
            writer.line(4, "batman")
            writer.line(6, "routing_algo", YAMLWriter.scalar(source.routingAlgorithm ?? SiteDefaults.routingAlgorithm.rawValue),
                        comment: source.routingAlgorithm == nil ? "not set in the firmware: Gluon's default" : nil)
            let own = domain.firmware.without(shared)
            let groups = source.meshVPN.fastd.flatMap { GluonImportedShape.needsGroups($0) ? GluonImportedShape.groups(of: $0) : nil }
            if !own.isEmpty || gluon.isMultidomain || groups != nil {
                writer.line(4, "firmware")
                writeFirmwareFields(own, indent: 6)
                if gluon.isMultidomain {
                    writer.line(6, "domain_names", "{" + source.names.map { "\(YAMLWriter.scalar($0.code)): \(YAMLWriter.scalar($0.displayName))" }.joined(separator: ", ") + "}")
                    let hidden = source.names.filter(\.isHidden).map(\.code)
                    if !hidden.isEmpty { writer.line(6, "hide_domain", YAMLWriter.flowList(hidden)) }
                }
                if let groups {
                    writer.line(6, "peer_groups", "[" + GluonImportedShape.groupItems(groups).joined(separator: ", ") + "]",
                                comment: "the firmware's fastd groups, kept for gluon export")
                }
            }
            notes += domain.notes
        }
        notes += GluonImportedWireGuard.wgkexNotes(domains.compactMap { domain in
            domain.gluon.babelKey == nil ? domain.gluon.meshVPN.wireguard.map { (domain.code, $0) } : nil
        })
        writer.blank()
    }

    /// `wireguard: {port, mtu, peers}`; the peers source is a placeholder, since site.conf never lists node keys.
    private mutating func writeWireGuard(_ wireguard: GluonImportedWireGuard) {
        writer.line(4, "wireguard")
        write(6, "port", wireguard.port, comment: wireguard.portComment)
        write(6, "mtu", wireguard.mtu, comment: wireguard.mtuComment)
        write(6, "peers", .placeholder(YAMLWriter.scalar(wireguard.peersSource),
                                       why: "\(wireguard.location): create this folder and fill it with the node keys (a file per node, its `wg pubkey`); the firmware does not list them"))
        notes += wireguard.notes
    }

    private mutating func writeAccess() {
        writer.line(0, "access")
        unfinished(2, "ssh_port", String(SiteDefaults.sshPort), why: "the port sshd listens on")
        unfinished(2, "admins", "[]", why: "add {name: you, keys: [\"ssh-ed25519 AAAA… you@laptop\"]}; password logins are disabled")
        writer.blank()
    }

    private mutating func writeGateways(_ gateways: [GluonImportedGateway], domains: [GluonImportedDomain]) {
        guard !gateways.isEmpty else {
            blocking.append(writer.nextLine)
            notes.append("\(outputName):\(writer.nextLine): PLACEHOLDER gateways: the firmware lists no gateway peer gwsetup can serve, so there is no gateway to import; add yours")
            writer.line(0, "gateways", "[]", comment: "PLACEHOLDER: the firmware lists no gateway peer gwsetup can serve; add your gateways")
            return
        }
        writer.line(0, "gateways")
        writer.comment("A site.conf cannot know bridge addresses: gluon import gave the i-th gateway prefix4's first address + i", indent: 2)
        writer.comment("and prefix6::i (i from 1, the next_node addresses skipped). Change them if your gateways use others.", indent: 2)
        for (index, gateway) in gateways.enumerated() {
            let kind = gateway.memberships.isEmpty ? "WireGuard peer" : "fastd peer"
            writer.item(2, "name", YAMLWriter.scalar(gateway.name), comment: gateway.name == gateway.peerName ? nil : "\(kind) \(Echo.line(gateway.peerName))")
            // A positional WireGuard peer has no name; its stand-in (the endpoint host) is no Gluon name to keep.
            let namedPeer = !gateway.memberships.isEmpty || gateway.wireguardPeerName != nil
            if namedPeer, gateway.name != gateway.peerName, GluonNameGrammar.isGluonName(gateway.peerName) {
                writer.line(4, "gluon_peer", YAMLWriter.scalar(gateway.peerName), comment: "the firmware's peer name, which gluon export writes")
            }
            if let wireguardName = gateway.wireguardPeerName, GluonNameGrammar.isGluonName(wireguardName),
               wireguardName != (GluonNameGrammar.isGluonName(gateway.peerName) ? gateway.peerName : String(gateway.name.map { $0 == "-" ? "_" : $0 })) {
                writer.line(4, "gluon_wireguard_peer", YAMLWriter.scalar(wireguardName), comment: "the firmware's WireGuard peer name, which gluon export writes")
            }
            writeWireGuardKey(of: gateway)
            if let host = gateway.publicHost {
                writer.line(4, "public_host", YAMLWriter.scalar(host), comment: gateway.memberships.isEmpty ? "from the firmware's WireGuard endpoint" : "from the firmware's remotes")
                unfinished(4, "ssh", YAMLWriter.scalar("root@" + (host.contains(":") ? "[\(host)]" : host)),
                           why: "how gwsetup logs in (user@host[:port] or local)")
            } else if gateway.memberships.isEmpty {
                write(4, "public_host", .placeholder("PLACEHOLDER", why: "\(gateway.unreadableEndpointLocation?.description ?? gateway.name): no endpoint of this WireGuard peer can be read"))
                unfinished(4, "ssh", "local", why: "how gwsetup logs in (user@host[:port] or local)")
            } else {
                write(4, "public_host", .placeholder(YAMLWriter.scalar(gateway.unreadableRemote ?? "unknown"), why: "\(gateway.memberships.first?.peer.remotes.first?.location?.description ?? gateway.peerName): no remote of fastd peer \(gateway.peerName) can be read"))
                unfinished(4, "ssh", "local", why: "how gwsetup logs in (user@host[:port] or local)")
            }
            unfinished(4, "uplink", SiteDefaults.uplink, why: "the gateway's WAN interface")
            writer.line(4, "addresses")
            for code in gateway.domainCodes(in: domains.map(\.gluon.code)) {
                guard let domain = domains.first(where: { $0.gluon.code == code }) else { continue }
                writer.line(6, YAMLWriter.scalar(domain.code))
                guard let membership = gateway.memberships.first(where: { $0.domainCode == code }) else {
                    // Only a WireGuard peer here: the bridge addresses, nothing fastd.
                    if let ipv4 = domain.gatewayIPv4(index: index) { write(8, "ipv4", ipv4, comment: "assigned") }
                    write(8, "ipv6", domain.gatewayIPv6(index: index), comment: "assigned")
                    continue
                }
                if membership.peer.remotes.allSatisfy({ $0.remote != nil }), !membership.peer.remotes.isEmpty {
                    writer.line(8, "remotes", YAMLWriter.flowList(membership.peer.remotes.map(\.text)), comment: "the firmware's, in order")
                }
                if let fastd = domain.gluon.meshVPN.fastd, GluonImportedShape.needsGroups(fastd),
                   let group = GluonImportedShape.groupPath(of: membership.peer.name, in: fastd) {
                    writer.line(8, "peer_group", YAMLWriter.scalar(group.joined(separator: "/")))
                }
                if let ipv4 = domain.gatewayIPv4(index: index) { write(8, "ipv4", ipv4, comment: "assigned") }
                write(8, "ipv6", domain.gatewayIPv6(index: index), comment: "assigned")
                if let key = membership.peer.key {
                    let location = membership.peer.keyLocation?.description ?? domain.gluon.code
                    write(8, "fastd_public_key", HexKey.isValid(key)
                          ? .value(key.lowercased())
                          : .placeholder(YAMLWriter.scalar(key), why: "\(location): the firmware's key is not 64 hex digits"))
                }
                if let port = domain.portValue {
                    let ports = Set(membership.peer.remotes.compactMap(\.remote?.port))
                    let others = ports.subtracting([port]).sorted()
                    if ports.count == 1, let own = others.first {
                        // The gateway's own port: its fastd binds it, and export writes it back into its remotes.
                        writer.line(8, "fastd_port", String(own), comment: "the firmware reaches \(gateway.name) on this port in this domain")
                    } else if !others.isEmpty {
                        let list = others.map(String.init).joined(separator: ", ")
                        writer.comment("the firmware reaches \(gateway.name) on port \(list) here; gwsetup serves one port per domain (\(port))", indent: 8)
                        let location = membership.peer.remotes.first { $0.remote.map { $0.port != port } ?? false }?.location
                        notes.append("note: the firmware reaches gateway '\(gateway.name)' in domain '\(domain.code)' on port \(list), but gwsetup serves one port per domain (\(port)); gluon export writes port \(port) and `gluon check` will report it" + (location.map { " (\($0))" } ?? ""))
                    }
                }
            }
        }
    }
}

extension GluonSiteImporter {
    /// `wireguard_public_key`: one key per gateway (gwsetup's mesh key serves all its WireGuard domains); the firmware's
    /// first well-formed key, a placeholder when none is, and a note when domains list different ones.
    private mutating func writeWireGuardKey(of gateway: GluonImportedGateway) {
        guard let first = gateway.wireguard.first else { return }
        let keys = gateway.wireguard.compactMap { $0.peer.publicKey.flatMap(WireGuardPublicKey.init) }
        guard let key = keys.first else {
            // The firmware's text stays out of the file and the terminal: it may be a template's XXX or anything hostile.
            write(4, "wireguard_public_key", .placeholder("PLACEHOLDER", why: "\(first.peer.keyLocation?.description ?? first.peer.location?.description ?? gateway.name): the firmware's key is \(first.peer.publicKey == nil ? "missing" : "not a WireGuard public key (44 characters of base64)")"))
            return
        }
        writer.line(4, "wireguard_public_key", key.base64, comment: "the firmware's: put its private half in /etc/gwsetup/wireguard/mesh.key, or apply makes a new one")
        if let other = gateway.wireguard.first(where: { $0.peer.publicKey.flatMap(WireGuardPublicKey.init).map { $0 != key } ?? true }) {
            notes.append("note: \(other.peer.keyLocation?.description ?? other.domainCode): gateway '\(gateway.name)' has another or no WireGuard key in domain '\(GluonNames.identifier(for: other.domainCode))'; gwsetup gives a gateway one WireGuard key for all its domains, so the first (\(first.peer.keyLocation?.description ?? first.domainCode)) was imported")
        }
    }

    /// The first reason the written file does not load with `SiteLoader`, or nil when it does.
    public static func loadProblem(of result: GluonImport, file: String) -> String? {
        do {
            _ = try SiteLoader.load(yaml: result.yaml, file: file)
            return nil
        } catch let errors as SiteErrors {
            return errors.errors.first?.description ?? errors.description
        } catch {
            return String(describing: error)
        }
    }
}
