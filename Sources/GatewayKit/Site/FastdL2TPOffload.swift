/// fastd's L2TP offload: when a domain's nodes may use `null@l2tp`, the gateway hands those peers' packets to the
/// kernel's L2TP, which fastd v22 does only in multi-TAP mode, where every peer gets an interface of its own.
public enum FastdL2TPOffload {
    /// The method whose sessions the kernel can carry; Gluon's performance mode offers it to nodes.
    public static let method = "null@l2tp"
    /// The kernel modules a session interface needs: the core, its netlink API fastd talks to, the Ethernet pseudowire.
    public static let modules = ["l2tp_core", "l2tp_netlink", "l2tp_eth"]
    /// What fastd appends to a peer interface's stem: `%k`, the peer key's leading hex digits (unknown peers have no name).
    static let keyPattern = "%k"

    /// `v10000-` for the instance on port 10000: the port is unique among a gateway's instances of every domain, so
    /// no two stems clash, and 7 bytes leave 8 of the key's hex digits within Linux's 15 (fastd cuts the rest).
    static func peerInterfaceStem(port: Int) -> String { "v\(port)-" }

    /// Whether `name` is a peer interface fastd made from `stem`: the stem and lower-case hex digits only, within 15 bytes.
    public static func isPeerInterface(_ name: String, stem: String) -> Bool {
        name.hasPrefix(stem) && name.utf8.count <= SiteDefaults.maxInterfaceNameLength && name.count > stem.count
            && name.utf8.dropFirst(stem.utf8.count).allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

extension MeshDomain {
    /// A domain whose methods include `null@l2tp` runs its fastd in multi-TAP mode with the offload, every method alike:
    /// Gluon documents an offloading peer as fully compatible with one that does not offload, so no switch is needed.
    public var offloadsL2TP: Bool { fastd.methods.contains(FastdL2TPOffload.method) }
}
