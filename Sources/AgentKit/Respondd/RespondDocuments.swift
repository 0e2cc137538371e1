/// The three respondd documents as Codable values, keyed the way mesh-announce and the map tools read them.
public enum RespondDocuments {
    public struct NodeInfo: Sendable, Equatable, Codable {
        public struct Network: Sendable, Equatable, Codable {
            public struct MeshInterfaces: Sendable, Equatable, Codable {
                public var interfaces: [String: [String]]
            }
            public var mac: String
            public var addresses: [String]
            public var mesh: [String: MeshInterfaces]
        }
        public struct BatmanSoftware: Sendable, Equatable, Codable {
            public var version: String
            public var compat: Int
        }
        public struct FastdSoftware: Sendable, Equatable, Codable {
            public var enabled: Bool
            public var version: String
            public var publicKey: String?
            enum CodingKeys: String, CodingKey { case enabled, version, publicKey = "public_key" }
        }
        public struct Firmware: Sendable, Equatable, Codable {
            public var base: String
            public var release: String
        }
        public struct Software: Sendable, Equatable, Codable {
            public var batmanAdv: BatmanSoftware
            public var fastd: FastdSoftware
            public var firmware: Firmware
            enum CodingKeys: String, CodingKey { case batmanAdv = "batman-adv", fastd, firmware }
        }
        public struct System: Sendable, Equatable, Codable {
            public var siteCode: String
            public var domainCode: String
            enum CodingKeys: String, CodingKey { case siteCode = "site_code", domainCode = "domain_code" }
        }
        public struct Owner: Sendable, Equatable, Codable {
            public var contact: String
        }
        public struct Hardware: Sendable, Equatable, Codable {
            public var nproc: Int
            public var model: String
        }

        public var nodeID: String
        public var hostname: String
        public var network: Network
        public var software: Software
        public var system: System
        public var owner: Owner?
        public var vpn: Bool
        public var hardware: Hardware
        enum CodingKeys: String, CodingKey {
            case nodeID = "node_id", hostname, network, software, system, owner, vpn, hardware
        }
    }

    public struct Statistics: Sendable, Equatable, Codable {
        public struct Processes: Sendable, Equatable, Codable {
            public var total: Int
            public var running: Int
        }
        public struct Counter: Sendable, Equatable, Codable {
            public var bytes: Int
            public var packets: Int
        }
        public struct Traffic: Sendable, Equatable, Codable {
            public var rx: Counter
            public var tx: Counter
        }
        public struct Clients: Sendable, Equatable, Codable {
            public var total: Int
            public var wifi: Int
        }

        public var nodeID: String
        public var uptime: Double
        public var idletime: Double
        public var loadavg: Double
        public var memory: [String: Int]
        public var processes: Processes
        public var traffic: Traffic
        public var clients: Clients
        enum CodingKeys: String, CodingKey {
            case nodeID = "node_id", uptime, idletime, loadavg, memory, processes, traffic, clients
        }
    }

    public struct Neighbours: Sendable, Equatable, Codable {
        public struct Link: Sendable, Equatable, Codable {
            public var tq: Int
            public var lastseen: Double
        }
        public struct Interface: Sendable, Equatable, Codable {
            public var neighbours: [String: Link]
        }
        public var nodeID: String
        public var batadv: [String: Interface]
        enum CodingKeys: String, CodingKey { case nodeID = "node_id", batadv }
    }

    /// A `GET` answer: one key per section asked for.
    public struct Answer: Sendable, Equatable, Codable {
        public var nodeinfo: NodeInfo?
        public var statistics: Statistics?
        public var neighbours: Neighbours?
    }
}
