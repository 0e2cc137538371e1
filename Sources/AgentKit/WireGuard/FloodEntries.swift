#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GatewayBase

/// The all-zero forwarding entries of a VXLAN (`bridge -j fdb show dev vx-X`, iproute2 6.1): each is one node that
/// gets a copy of every broadcast frame, batman-adv's OGMs among them.
public struct FloodEntries: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var address: NodeAddress
        /// The interface the entry reaches its node through (`via`, printed as `viaIf`); nil when it has none.
        public var via: String?

        public init(address: NodeAddress, via: String?) {
            self.address = address
            self.via = via
        }
    }

    public static let allZero = "00:00:00:00:00:00"

    public var entries: [Entry]
    /// All-zero entries that looked like a node's but did not parse (a `dst` that is no address, a strange `viaIf`).
    public var ignoredLines: Int

    public static func command(vxlan: String) -> [String] { ["bridge", "-j", "fdb", "show", "dev", vxlan] }

    public init(entries: [Entry], ignoredLines: Int = 0) {
        self.entries = entries
        self.ignoredLines = ignoredLines
    }

    /// nil when the output is no JSON array at all: then nothing is known, and nothing may be pruned.
    /// Entries with another MAC (learned ones), a dst outside fe80::/10 (a multicast default remote) or their own port,
    /// VNI or next-hop group are somebody else's and left out.
    public init?(json: String) {
        guard let rows = JSONRows.decode(json) else { return nil }
        var entries: [Entry] = [], ignored = 0
        for row in rows {
            guard let row else { ignored += 1; continue }
            guard row.string("mac")?.lowercased() == Self.allZero else { continue }
            guard !["port", "vni", "src_vni", "nhid", "viaIfIndex", "linkNetNsId"].contains(where: row.has) else { continue }
            guard let text = row.string("dst") else { ignored += 1; continue }
            guard let address = NodeAddress(text) else {
                if IPv6Address(text) == nil && IPv4Address(text) == nil { ignored += 1 }
                continue
            }
            let via = row.string("viaIf")
            if let via, !WireGuardGlueConfig.isInterfaceName(via) { ignored += 1; continue }
            if row.has("viaIf") && via == nil { ignored += 1; continue }
            entries.append(Entry(address: address, via: via))
        }
        self.init(entries: entries, ignoredLines: ignored)
    }
}
