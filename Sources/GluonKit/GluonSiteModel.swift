import GatewayBase

/// What gwsetup needs from a Gluon site: identity and services, plus one entry per mesh domain with the merged values.
public struct GluonSite: Sendable, Equatable {
    public var siteCode: String
    public var siteName: String?
    /// Site-wide seed; multidomain sites set one per domain instead (see `GluonDomain.domainSeed`).
    public var domainSeed: String?
    public var timezone: String?
    /// NTP servers written in site.conf itself; a domain may set its own (`GluonDomain.ntpServers`).
    public var ntpServers: [String]
    /// `dns.servers` written in site.conf itself.
    public var dnsServers: [String]
    /// True when site.conf sets `default_domain` and the domains come from domains/*.conf.
    public var isMultidomain: Bool
    /// `default_domain` as written, which may be an alias.
    public var defaultDomainName: String?
    /// The code (file name) of the domain `default_domain` resolves to; the site code for single-domain sites.
    public var defaultDomainCode: String
    /// Every domain, sorted by code; a single-domain site has one, named after the site code.
    public var domains: [GluonDomain]
    /// site.conf as read, before any merge.
    public var siteTable: LuaTable
    /// Things that did not stop the import but the user should see (stray names, placeholder remotes).
    public var warnings: [Diagnostic]

    /// The domain a node without a chosen domain joins.
    public var defaultDomain: GluonDomain? { domains.first { $0.code == defaultDomainCode } }

    /// The domain with this code or alias.
    public func domain(named name: String) -> GluonDomain? {
        domains.first { $0.code == name } ?? domains.first { $0.names.contains { $0.code == name } }
    }
}

/// One mesh domain as a node of that domain sees it (site.conf merged with its domain file).
public struct GluonDomain: Sendable, Equatable {
    /// The file name code (`domains/<code>.conf`), or the site code for a single-domain site.
    public var code: String
    /// Codes from `domain_names` (the file's own code and aliases) with their display names.
    public var names: [GluonDomainName]
    public var domainSeed: String?
    public var prefix4: String?
    public var prefix6: String
    public var extraPrefixes6: [String]
    public var nextNode: GluonNextNode
    public var ntpServers: [String]
    public var dnsServers: [String]
    /// `mesh.batman_adv.routing_algo` as written (Gluon's default is BATMAN_IV when it is absent).
    public var routingAlgorithm: String?
    public var meshVPN: GluonMeshVPN
    /// The merged table, for settings this model does not name.
    public var config: LuaTable

    /// Codes other than the file's own that select this domain.
    public var aliases: [String] { names.map(\.code).filter { $0 != code } }

    /// The key that makes this a Babel domain, nil for batman-adv: gluon-mesh-babel requires these, batman-adv reads neither.
    public var babelKey: LuaKey? {
        (["node_prefix6", "node_client_prefix6"] as [LuaKey]).first { config.value(at: [$0]).map { !$0.isNil } ?? false }
    }
}

/// An entry of `domain_names`, with whether `hide_domain` hides it from the config-mode list.
public struct GluonDomainName: Sendable, Equatable {
    public var code: String
    public var displayName: String
    public var isHidden: Bool

    public init(code: String, displayName: String, isHidden: Bool) {
        self.code = code
        self.displayName = displayName
        self.isHidden = isHidden
    }
}

/// The anycast addresses every node answers on (`next_node`).
public struct GluonNextNode: Sendable, Equatable {
    public var ip4: String?
    public var ip6: String?
    public var mac: String?
    public var names: [String]

    public init(ip4: String? = nil, ip6: String? = nil, mac: String? = nil, names: [String] = []) {
        self.ip4 = ip4
        self.ip6 = ip6
        self.mac = mac
        self.names = names
    }
}
