/// One command the glue runs for a node; its argument vector is the whole contract with iproute2 (bridge(8), ip-route(8)).
public enum GlueChange: Sendable, Equatable {
    /// Floods broadcasts to the node: an all-zero entry reaching it through the WireGuard interface (`via`, so the
    /// link-local destination is looked up on that interface and no other).
    case appendFlood(NodeAddress)
    /// Removes one all-zero entry; `via` must repeat the entry's own, or the kernel finds no entry to remove.
    case deleteFlood(NodeAddress, via: String?)
    /// The node's /128 on the WireGuard interface, replacing whatever route to it was there.
    case replaceRoute(NodeAddress)
    case deleteRoute(NodeAddress)

    public func arguments(link: WireGuardGlueConfig.Link) -> [String] {
        switch self {
        case .appendFlood(let node):
            ["bridge", "fdb", "append", FloodEntries.allZero, "dev", link.vxlan, "dst", node.description, "via", link.wireguard]
        case .deleteFlood(let node, let via):
            ["bridge", "fdb", "delete", FloodEntries.allZero, "dev", link.vxlan, "dst", node.description] + (via.map { ["via", $0] } ?? [])
        case .replaceRoute(let node):
            ["ip", "-6", "route", "replace", node.hostPrefix, "dev", link.wireguard, "proto", "static"]
        case .deleteRoute(let node):
            ["ip", "-6", "route", "delete", node.hostPrefix, "dev", link.wireguard, "proto", "static"]
        }
    }
}
