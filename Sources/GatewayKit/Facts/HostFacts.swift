/// What a gateway has now, gathered in one read-only probe; the other side of every plan.
public struct HostFacts: Sendable, Equatable, Codable {
    /// Installed package → version.
    public var packages: [String: String]
    /// Managed path → what is there (absent paths are simply missing).
    public var files: [String: FileFact]
    public var users: Set<String>
    /// Unit name → state; units that do not exist are missing.
    public var units: [String: UnitFact]
    /// sysctl key → live value; keys that do not exist on the host are missing.
    public var sysctl: [String: String]
    public var loadedModules: Set<String>
    /// fastd instance → public key, for instances whose secret already exists.
    public var fastdPublicKeys: [String: String]
    /// The public half of the gateway's tinc host key (base64), when both halves exist; nil otherwise or when not asked.
    public var tincPublicKey: String? = nil
    /// The public half of the exit tunnel's key, when the gateway holds one.
    /// The public halves of the WireGuard keys the gateway holds, by role (`exit`, `mesh`), derived there by `wg pubkey`.
    public var wireguardPublicKeys: [String: String] = [:]
    /// Live `iptables-save` / `ip6tables-save` output, for drift and verify.
    public var rulesV4: String?
    public var rulesV6: String?
    /// Restarts an earlier apply owed but did not finish, so an interrupted run cannot lose them.
    public var pendingTriggers: [ServiceTrigger]
    /// The zone /etc/localtime points at (relative to /usr/share/zoneinfo); nil when the probe did not say.
    public var localtime: String? = nil
    /// Accounts with a UID below 1000 → UID: an admin may not take one of those over.
    public var systemAccounts: [String: Int] = [:]
    /// The mesh links as the kernel has them; nil when the probe did not read them.
    public var network: LiveNetwork? = nil
    /// What gwsetup's manifest on the gateway says it owns, only the entries gwsetup could have written; empty when absent.
    public var manifest = OwnershipManifest()
    /// What the probe read but dropped (a pending trigger gwsetup never writes), for the run's warnings; not a fact.
    public var warnings: [String] = []

    enum CodingKeys: String, CodingKey {
        case packages, files, users, units, sysctl, loadedModules, fastdPublicKeys, rulesV4, rulesV6, pendingTriggers, localtime, systemAccounts, network, manifest, tincPublicKey, wireguardPublicKeys
    }

    public init(packages: [String: String] = [:], files: [String: FileFact] = [:], users: Set<String> = [],
                units: [String: UnitFact] = [:], sysctl: [String: String] = [:], loadedModules: Set<String> = [],
                fastdPublicKeys: [String: String] = [:], rulesV4: String? = nil, rulesV6: String? = nil, pendingTriggers: [ServiceTrigger] = []) {
        self.packages = packages
        self.files = files
        self.users = users
        self.units = units
        self.sysctl = sysctl
        self.loadedModules = loadedModules
        self.fastdPublicKeys = fastdPublicKeys
        self.rulesV4 = rulesV4
        self.rulesV6 = rulesV6
        self.pendingTriggers = pendingTriggers
    }
}

extension HostFacts {
    /// Sets encode sorted: their iteration order changes from process to process, and the facts digest that
    /// tells a saved plan from a stale one must not.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(packages, forKey: .packages)
        try container.encode(files, forKey: .files)
        try container.encode(users.sorted(), forKey: .users)
        try container.encode(units, forKey: .units)
        try container.encode(sysctl, forKey: .sysctl)
        try container.encode(loadedModules.sorted(), forKey: .loadedModules)
        try container.encode(fastdPublicKeys, forKey: .fastdPublicKeys)
        try container.encodeIfPresent(rulesV4, forKey: .rulesV4)
        try container.encodeIfPresent(rulesV6, forKey: .rulesV6)
        try container.encode(pendingTriggers, forKey: .pendingTriggers)
        try container.encodeIfPresent(localtime, forKey: .localtime)
        try container.encode(systemAccounts, forKey: .systemAccounts)
        try container.encodeIfPresent(network, forKey: .network)
        try container.encode(manifest, forKey: .manifest)
        try container.encodeIfPresent(tincPublicKey, forKey: .tincPublicKey)
        if !wireguardPublicKeys.isEmpty { try container.encode(wireguardPublicKeys, forKey: .wireguardPublicKeys) }
    }
}

/// A file as the host has it; `content` only for files that are not secret, so plans can show diffs.
public struct FileFact: Sendable, Equatable, Codable {
    public var sha256: String
    public var mode: Int
    public var owner: String
    public var group: String
    public var content: String?

    public init(sha256: String, mode: Int, owner: String, group: String, content: String? = nil) {
        self.sha256 = sha256
        self.mode = mode
        self.owner = owner
        self.group = group
        self.content = content
    }
}

/// A unit's enablement and whether it runs.
public struct UnitFact: Sendable, Equatable, Codable {
    public var enabled: Bool
    public var active: Bool

    public init(enabled: Bool, active: Bool) {
        self.enabled = enabled
        self.active = active
    }

    /// Unit file states that count as enabled: `static` and generated units cannot be more so.
    static let enabledStates = ["enabled", "enabled-runtime", "static", "alias", "generated", "transient", "linked", "linked-runtime"]
}

extension HostFacts {
    /// A fresh Debian 12 droplet as `plan --offline` assumes it: minimal system, none of the gateway's software, its
    /// uplink configured by systemd-networkd as Debian's cloud images do. ApplyEndToEndTests holds it against a probe
    /// of the bare VM image, fact by fact.
    public static let freshDebian12: HostFacts = {
        var facts = HostFacts(
            packages: ["openssh-server": "1:9.2p1-2+deb12u3", "systemd": "252.30-1~deb12u2", "iproute2": "6.1.0-3", "kmod": "30+20221128-1"],
            files: ["/etc/timezone": FileFact(sha256: "f0dcac7b1d721d2f68937a71f0229b4c4f88564fd711339951528889913cd85d", mode: 0o644,
                                              owner: "root", group: "root", content: "Etc/UTC\n")],
            users: ["root"],
            units: ["ssh.service": UnitFact(enabled: true, active: true), "systemd-networkd.service": UnitFact(enabled: true, active: true)],
            sysctl: [
                "net.ipv4.ip_forward": "0", "net.ipv6.conf.all.forwarding": "0",
                "net.ipv4.conf.all.rp_filter": "0", "net.ipv4.conf.default.rp_filter": "0",
                "net.ipv4.neigh.default.gc_thresh1": "128", "net.ipv4.neigh.default.gc_thresh2": "512", "net.ipv4.neigh.default.gc_thresh3": "1024",
                "net.ipv6.neigh.default.gc_thresh1": "128", "net.ipv6.neigh.default.gc_thresh2": "512", "net.ipv6.neigh.default.gc_thresh3": "1024",
            ])
        facts.localtime = "Etc/UTC"
        // No mesh yet: every link the site implies is missing until networkd and fastd first start.
        facts.network = LiveNetwork()
        return facts
    }()
}
