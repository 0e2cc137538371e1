import GatewayBase

/// Packet and byte counters as iptables-save prints them, kept so a printed file restores the same numbers.
public struct Counters: Hashable, Sendable, CustomStringConvertible {
    public var packets: UInt64
    public var bytes: UInt64

    public init(packets: UInt64, bytes: UInt64) {
        self.packets = packets
        self.bytes = bytes
    }

    public var description: String { "[\(packets):\(bytes)]" }
}

/// One family's whole ruleset as `iptables-save` prints it, the input of drift checks and verification.
public struct Ruleset: Hashable, Sendable {
    public var family: IPFamily
    public var tables: [Table]

    public init(family: IPFamily, tables: [Table]) {
        self.family = family
        self.tables = tables
    }

    public func table(_ name: String) -> Table? { tables.first { $0.name == name } }

    /// Every rule of every table, in file order, for counting and searching.
    public var allRules: [Rule] { tables.flatMap { $0.chains.flatMap(\.rules) } }
}

/// One `*table` block; chains keep their declaration order so printing is stable.
public struct Table: Hashable, Sendable {
    public var name: String
    public var chains: [Chain]

    public init(name: String, chains: [Chain]) {
        self.name = name
        self.chains = chains
    }

    public func chain(_ name: String) -> Chain? { chains.first { $0.name == name } }

    public var builtinChains: [Chain] { chains.filter(\.isBuiltin) }
    public var userChains: [Chain] { chains.filter { !$0.isBuiltin } }
}

/// A chain with its rules; built-in chains have a policy, user chains return to their caller instead.
public struct Chain: Hashable, Sendable {
    public var name: String
    /// nil for user chains (`:NAME - [0:0]`).
    public var policy: ChainPolicy?
    public var counters: Counters?
    public var rules: [Rule]

    public init(name: String, policy: ChainPolicy?, counters: Counters? = nil, rules: [Rule] = []) {
        self.name = name
        self.policy = policy
        self.counters = counters
        self.rules = rules
    }

    public var isBuiltin: Bool { policy != nil }
}

/// What a built-in chain does with a packet that no rule decided.
public enum ChainPolicy: String, Hashable, Sendable {
    case accept = "ACCEPT"
    case drop = "DROP"
}

/// The built-in chains of each table, so the parser knows which `:NAME` lines need a policy.
public enum BuiltinChains {
    public static let byTable: [String: [String]] = [
        "filter": ["INPUT", "FORWARD", "OUTPUT"],
        "nat": ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
        "mangle": ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
        "raw": ["PREROUTING", "OUTPUT"],
        "security": ["INPUT", "FORWARD", "OUTPUT"],
    ]

    public static func isBuiltin(_ chain: String, in table: String) -> Bool {
        byTable[table]?.contains(chain) ?? false
    }
}
