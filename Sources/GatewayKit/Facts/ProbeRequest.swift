/// What one probe must look at, derived from the desired state so the probe reads exactly the managed resources.
public struct ProbeRequest: Sendable, Equatable {
    /// Managed paths; absolute, without tabs or newlines (the probe's records name them).
    public var files: [String]
    public var units: [String]
    public var sysctlKeys: [String]
    public var modules: [String]
    /// fastd instance and its secret file; only the public key derived on the host comes back.
    public var fastdKeys: [FastdKey]
    /// Whether to read where /etc/localtime points; only when the site sets the zone.
    public var timezone: Bool
    /// The mesh links to read live; nil reads none (verify's rules-only probe).
    public var network: NetworkProbe? = nil
    /// Whose manifest to read and which of its names to believe; nil reads none.
    public var ownership: OwnershipPolicy? = nil
    /// Programs whose mode and sha256 alone are read (F and H records), never their content.
    public var binaries: [String] = []
    /// Whether to read the public half of the backbone's host key (the private half is only tested for presence).
    public var tincKey = false
    /// The WireGuard keys whose public halves to read (derived on the host; the private halves never leave it).
    public var wireguardKeys: [WireGuardKey.Role] = []

    public init(files: [String], units: [String], sysctlKeys: [String], modules: [String], fastdKeys: [FastdKey], timezone: Bool = false) {
        self.files = files
        self.units = units
        self.sysctlKeys = sysctlKeys
        self.modules = modules
        self.fastdKeys = fastdKeys
        self.timezone = timezone
    }

    public init(desired: DesiredState) {
        self.init(files: desired.files.map(\.path), units: desired.units.map(\.name), sysctlKeys: desired.sysctl.map(\.key),
                  modules: desired.modules, fastdKeys: desired.fastdKeys, timezone: desired.timezone != nil)
        if !desired.meshLinks.isEmpty { network = NetworkProbe(desired.meshLinks) }
        ownership = .gateway
        binaries = desired.binaries.map(\.path)
        tincKey = desired.tincKey != nil
        wireguardKeys = desired.wireguardKeys.map(\.role)
    }

    /// Nothing managed: the probe's fixed part alone, which holds the live rules verify checks.
    public static let rulesOnly = ProbeRequest(files: [], units: [], sysctlKeys: [], modules: [], fastdKeys: [])

    /// `net.ipv4.ip_forward` → `/proc/sys/net/ipv4/ip_forward`.
    static func procPath(ofSysctl key: String) -> String {
        "/proc/sys/" + key.replacingOccurrences(of: ".", with: "/")
    }
}
