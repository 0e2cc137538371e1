import FoundationEssentials

/// What batman-adv knows about one mesh, as `batctl meshif bat-X …_json` prints it (netlink attribute names).
public struct BatmanTables: Sendable, Equatable {
    public struct Originator: Sendable, Equatable, Decodable {
        public let origAddress: MACAddress
        public let neighAddress: MACAddress
        public let hardInterface: String
        public let tq: Int?
        public let lastSeenMilliseconds: Int
        public let best: Bool

        enum CodingKeys: String, CodingKey {
            case origAddress = "orig_address", neighAddress = "neigh_address", hardInterface = "hard_ifname", tq
            case lastSeenMilliseconds = "last_seen_msecs", best
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            origAddress = try container.decode(MACAddress.self, forKey: .origAddress)
            neighAddress = try container.decode(MACAddress.self, forKey: .neighAddress)
            hardInterface = try container.decode(String.self, forKey: .hardInterface)
            tq = try container.decodeIfPresent(Int.self, forKey: .tq)
            lastSeenMilliseconds = try container.decode(Int.self, forKey: .lastSeenMilliseconds)
            best = try container.decodeIfPresent(Bool.self, forKey: .best) ?? false
        }
    }

    public struct Gateway: Sendable, Equatable, Decodable {
        public let origAddress: MACAddress
        public let best: Bool
        enum CodingKeys: String, CodingKey { case origAddress = "orig_address", best }
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            origAddress = try container.decode(MACAddress.self, forKey: .origAddress)
            best = try container.decodeIfPresent(Bool.self, forKey: .best) ?? false
        }
    }

    public struct GlobalClient: Sendable, Equatable, Decodable {
        public let address: MACAddress
        enum CodingKeys: String, CodingKey { case address = "tt_address" }
    }

    /// Every originator entry (one per originator and next hop; `best` marks the route in use).
    public var originators: [Originator]
    public var gateways: [Gateway]
    public var globalClients: [GlobalClient]

    public init(originators: [Originator] = [], gateways: [Gateway] = [], globalClients: [GlobalClient] = []) {
        self.originators = originators
        self.gateways = gateways
        self.globalClients = globalClients
    }

    /// Parses the three JSON dumps; a dump that does not parse counts as empty (batctl prints nothing when the mesh is gone).
    public init(originatorsJSON: String?, gatewaysJSON: String?, globalJSON: String?) {
        func decode<T: Decodable>(_ text: String?) -> [T] {
            guard let text, !text.isEmpty else { return [] }
            return (try? JSONDecoder().decode([T].self, from: Data(text.utf8))) ?? []
        }
        self.init(originators: decode(originatorsJSON), gateways: decode(gatewaysJSON), globalClients: decode(globalJSON))
    }

    /// batctl's JSON queries for the three tables, in the order `read` asks them; "transglobal_json" is no command
    /// (the global table's query is `transtable_global_json`), which a VM run found as a client count stuck at 0.
    public static let queries = (originators: "originators_json", gateways: "gateways_json", globalClients: "transtable_global_json")

    /// Asks batctl about `mesh` (bat-X).
    public static func read(mesh: String) -> BatmanTables {
        func dump(_ table: String) -> String? { CommandOutput.run(["batctl", "meshif", mesh, table]) }
        return BatmanTables(originatorsJSON: dump(queries.originators), gatewaysJSON: dump(queries.gateways), globalJSON: dump(queries.globalClients))
    }

    /// Distinct originators the mesh knows.
    public var originatorCount: Int { Set(originators.map(\.origAddress)).count }

    /// Distinct client MACs the mesh announces (each client once, however many originators carry it).
    public var clientCount: Int { Set(globalClients.map(\.address)).count }

    /// Direct neighbours: originators whose best next hop is themselves, per hard interface.
    public var directNeighbours: [String: [Originator]] {
        Dictionary(grouping: originators.filter { $0.best && $0.origAddress == $0.neighAddress }, by: \.hardInterface)
    }
}
