/// Defaults for everything a community does not care about, chosen from what working gateways run (anchors.md).
public enum SiteDefaults {
    public static let mtu = 1312
    public static let fastdBasePort = 10000
    public static let fastdMethods = ["salsa2012+umac"]
    public static let fastdPeerLimit: Int? = nil
    /// fastd processes a domain may run per gateway: one per core of a large gateway.
    public static let maxFastdInstances = 64
    /// WireGuard's customary port; each further domain takes the next.
    public static let wireguardBasePort = 51820
    /// Gluon's documented `mesh_vpn.wireguard.mtu` (docs/user/mtu.rst): batman-adv fragments what does not fit.
    public static let wireguardMTU = 1376
    /// batman-adv needs 1280 on its link; the WireGuard link under it (mtu + 70) must fit a 1500-byte uplink.
    public static let wireguardMTURange = 1280...1430
    /// Longer than WireGuard's 2-minute rekey, so a live node never loses its entry between two handshakes.
    public static let wireguardPruneAfter = 300
    public static let wireguardPruneRange = 180...604_800
    public static let routingAlgorithm = BatmanSettings.RoutingAlgorithm.batmanIV
    public static let gatewayBandwidth = "100mbit/100mbit"
    public static let hopPenalty = 15
    public static let originatorInterval = 5000
    public static let dhcpLeaseTime = 600
    /// Slots a domain's DHCP pool is cut into, one per gateway, so adding a gateway moves no other range.
    public static let dhcpGatewaySlots = 8
    public static let ntpServers = ["0.debian.pool.ntp.org", "1.debian.pool.ntp.org"]
    public static let timezone = "Etc/UTC"
    public static let sshPort = 22
    public static let fail2banMaxRetry = 5
    public static let fail2banBanTime = "1h"
    public static let fail2banFindTime = "10m"
    public static let uplink = "eth0"
    /// Linux's IFNAMSIZ less the terminating NUL.
    public static let maxInterfaceNameLength = 15
    /// fastd over IPv4 carries at most 1426 (1500 − IP, UDP and fastd headers).
    public static let mtuRange = 1280...1426
    /// batman-adv adds 32 bytes, so below this a full 1280-byte IPv6 packet no longer fits.
    public static let mtuWarningBelow = 1312
    /// Above this fastd packets fragment when nodes connect over IPv6.
    public static let mtuWarningAbove = 1406
}
