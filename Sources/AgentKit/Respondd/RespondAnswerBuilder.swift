import FoundationEssentials

/// Builds the JSON one domain's bridge answers with, from the config and a source of live figures.
public struct RespondAnswerBuilder: Sendable {
    public let config: RespondConfig
    public let source: any RespondSource

    public init(config: RespondConfig, source: any RespondSource) {
        self.config = config
        self.source = source
    }

    /// The datagram to send back: raw-deflate JSON for `GET`, plain JSON of the one section otherwise.
    public func datagram(for request: RespondRequest, domain: RespondConfig.Domain) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let mesh = source.interface(domain.mesh)
        let nodeID = mesh.mac?.compact ?? ""
        if request.compressed {
            var answer = RespondDocuments.Answer()
            var tables: BatmanTables?
            func batman() -> BatmanTables {
                if let tables { return tables }
                let read = source.batman(domain.mesh)
                tables = read
                return read
            }
            for section in request.sections {
                switch section {
                case .nodeinfo: answer.nodeinfo = nodeinfo(domain, mesh: mesh, nodeID: nodeID)
                case .statistics: answer.statistics = statistics(mesh: mesh, nodeID: nodeID, batman: batman())
                case .neighbours: answer.neighbours = neighbours(nodeID: nodeID, batman: batman())
                }
            }
            return try RawDeflate.compress(Array(try encoder.encode(answer)))
        }
        let data: Data = switch request.sections[0] {
        case .nodeinfo: try encoder.encode(nodeinfo(domain, mesh: mesh, nodeID: nodeID))
        case .statistics: try encoder.encode(statistics(mesh: mesh, nodeID: nodeID, batman: source.batman(domain.mesh)))
        case .neighbours: try encoder.encode(neighbours(nodeID: nodeID, batman: source.batman(domain.mesh)))
        }
        return Array(data)
    }

    func nodeinfo(_ domain: RespondConfig.Domain, mesh: InterfaceReadings, nodeID: String) -> RespondDocuments.NodeInfo {
        let tunnel = ([domain.vpnInterface] + (domain.moreVPNInterfaces ?? [])).compactMap { source.interface($0).mac?.description }
        let versions = source.versions
        return RespondDocuments.NodeInfo(
            nodeID: nodeID, hostname: config.hostname,
            network: .init(mac: mesh.mac?.description ?? "", addresses: source.addresses(of: domain.bridge),
                           mesh: [domain.mesh: .init(interfaces: ["tunnel": tunnel])]),
            software: .init(batmanAdv: .init(version: versions.batmanAdv, compat: 15),
                            fastd: .init(enabled: true, version: versions.fastd, publicKey: domain.fastdPublicKey),
                            firmware: .init(base: "Debian", release: versions.system)),
            system: .init(siteCode: config.siteCode, domainCode: domain.code),
            owner: config.contact.map { .init(contact: $0) },
            vpn: true,
            hardware: .init(nproc: source.host().processors, model: "gwsetup gateway"))
    }

    func statistics(mesh: InterfaceReadings, nodeID: String, batman: BatmanTables) -> RespondDocuments.Statistics {
        let host = source.host()
        return RespondDocuments.Statistics(
            nodeID: nodeID, uptime: host.uptime, idletime: host.idletime, loadavg: host.loadavg, memory: host.memory,
            processes: .init(total: host.processesTotal, running: host.processesRunning),
            traffic: .init(rx: .init(bytes: mesh.rxBytes, packets: mesh.rxPackets), tx: .init(bytes: mesh.txBytes, packets: mesh.txPackets)),
            clients: .init(total: batman.clientCount, wifi: 0))
    }

    func neighbours(nodeID: String, batman: BatmanTables) -> RespondDocuments.Neighbours {
        var interfaces: [String: RespondDocuments.Neighbours.Interface] = [:]
        for (hardInterface, originators) in batman.directNeighbours {
            guard let mac = source.interface(hardInterface).mac else { continue }
            var links: [String: RespondDocuments.Neighbours.Link] = [:]
            for originator in originators {
                links[originator.neighAddress.description] = .init(tq: originator.tq ?? 0, lastseen: Double(originator.lastSeenMilliseconds) / 1000)
            }
            interfaces[mac.description] = .init(neighbours: links)
        }
        return RespondDocuments.Neighbours(nodeID: nodeID, batadv: interfaces)
    }
}
