/// One difference between a gateway and its site, with the reason an admin reads before saying yes.
public struct PlannedChange: Sendable, Equatable, Codable {
    public enum Action: String, Sendable, Codable {
        case add, change, remove
        /// A restart or reload the plan owes because an input changed (or an earlier run left it pending).
        case run
    }

    public enum Kind: String, Sendable, Codable, CaseIterable {
        case package, user, fastdKey = "fastd-key", file, sysctl, module, unit, service
        /// A live mesh link (`bat-ffx`) or one of its options (`br-ffx multicast_snooping`) that differs from the files.
        case link
        /// A batman-adv runtime setting (`bat-ffx gw_mode`).
        case batman
        /// A program gwsetup ships (the agent), compared by its sha256 only.
        case binary
        /// The backbone's tinc host key, generated on the gateway.
        case tincKey = "tinc-key"
        /// A WireGuard key (the exit's or the mesh VPN's), generated on the gateway.
        case wireguardKey = "wireguard-key"
    }

    public var action: Action
    public var kind: Kind
    public var resource: String
    public var reason: String
    /// What a changed file asks for afterwards (restart ssh, run daemon-reload …).
    public var triggers: [ServiceTrigger]
    /// Unified diff of a file's content, secrets masked; nil for other kinds.
    public var diff: String?
    /// sha256 of the content a file change writes: what a saved plan commits to (the diff is only for reading).
    public var digest: String?

    public init(action: Action, kind: Kind, resource: String, reason: String, triggers: [ServiceTrigger] = [], diff: String? = nil,
                digest: String? = nil) {
        self.action = action
        self.kind = kind
        self.resource = resource
        self.reason = reason
        self.triggers = triggers
        self.diff = diff
        self.digest = digest
    }
}

extension PlannedChange {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case action, kind, resource, reason, triggers, diff, digest
    }

    /// Strict: names within their grammar, digests as the planner writes them; the diff is display only.
    public init(from decoder: any Decoder) throws {
        try decoder.allowOnly(Set(CodingKeys.allCases.map(\.rawValue)))
        let container = try decoder.container(keyedBy: CodingKeys.self)
        action = try container.decode(Action.self, forKey: .action)
        kind = try container.decode(Kind.self, forKey: .kind)
        resource = try decoder.checkedName(try container.decode(String.self, forKey: .resource), key: CodingKeys.resource)
        let reason = try container.decode(String.self, forKey: .reason)
        self.reason = reason.isEmpty ? reason : try decoder.checkedName(reason, key: CodingKeys.reason)
        triggers = try container.decode([ServiceTrigger].self, forKey: .triggers)
        diff = try container.decodeIfPresent(String.self, forKey: .diff)
        digest = try container.decodeIfPresent(String.self, forKey: .digest).map { try decoder.checkedDigest($0, key: CodingKeys.digest) }
    }
}
