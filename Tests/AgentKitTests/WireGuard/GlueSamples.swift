@testable import AgentKit

/// Command output as the real tools print it, and where each shape comes from.
enum GlueSamples {
    static let keyA = "gYeJqEtwjwqUTVeGiev/qQ4lDKh7CdkZ+EHdrkXT1hU="
    static let keyB = "1f/FavqHRT5erHg/4Dz7lMwuFwDp+s/OXbn/DMY6ZxI="
    static let keyC = "G8Af7UDdOUhjvLylEmmLIOiLKH/A1lRTcPuiuFE5010="
    static let keyD = "ItUCKuQWNyc/m2CU3KmppEhrEnOEhbBU1CBp4UrBiQk="
    static let now = 1_765_000_000

    /// `wg show wg-ffx latest-handshakes`: wireguard-tools src/show.c, ugly_print: "%s\t%llu\n" per peer, no interface
    /// column for a named interface, 0 for a peer that never completed a handshake (keys from `wg genkey | wg pubkey`).
    static let handshakes = """
        \(keyA)\t\(now - 12)
        \(keyB)\t\(now - 400)
        \(keyC)\t0
        \(keyD)\t\(now - 3)

        """

    /// `wg show wg-ffx allowed-ips`: same file, "%s/%u" per allowed IP joined by one space, "(none)" when a peer has none.
    static let allowedIPs = """
        \(keyA)\tfe80::a/128
        \(keyB)\tfe80::b/128
        \(keyC)\tfe80::c/128
        \(keyD)\t10.0.0.4/32 fe80::d/64

        """

    /// `bridge -j fdb show dev vx-ffx` on a VXLAN: field names of iproute2 6.1's bridge/fdb.c print_fdb (mac, dst, viaIf,
    /// flags, state; port, vni only when they differ from the device's). The learned and multicast rows are shaped like
    /// `bridge -j fdb show dev br0` captured on Debian 12's iproute2 6.1.0-3; the all-zero rows follow the same code.
    static let flood = """
        [{"mac":"00:00:00:00:00:00","dst":"fe80::b","viaIf":"wg-ffx","flags":["self"],"state":"permanent"},\
        {"mac":"00:00:00:00:00:00","dst":"fe80::e","flags":["self"],"state":"permanent"},\
        {"mac":"00:00:00:00:00:00","dst":"ff02::15c","viaIf":"wg-ffx","flags":["self"],"state":"permanent"},\
        {"mac":"02:11:22:33:44:55","dst":"fe80::99","viaIf":"wg-ffx","flags":["self"]},\
        {"mac":"33:33:00:00:00:01","flags":["self"],"state":"permanent"}]

        """

    /// `ip -j -6 route show dev wg-ffx proto static`, captured on Debian 12's iproute2 6.1.0-3 (a netns, a bridge
    /// standing in for wg-ffx): a /128 prints without its length, and the filtered dev and protocol are left out.
    static let routes = """
        [{"dst":"fe80::b","metric":1024,"flags":[],"pref":"medium"},{"dst":"fe80::f","metric":1024,"flags":[],"pref":"medium"}]

        """

    static let link = WireGuardGlueConfig.Link(wireguard: "wg-ffx", vxlan: "vx-ffx", pruneAfter: 300)
}
