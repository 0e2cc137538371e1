/// One difference between a gateway and its site, with the reason an admin reads before saying yes.
public struct PlannedChange: Sendable, Equatable, Codable {
    public enum Action: String, Sendable, Codable {
        case add, change, remove
        /// A restart or reload the plan owes because an input changed (or an earlier run left it pending).
        case run
    }

    public enum Kind: String, Sendable, Codable, CaseIterable {
        case package, user, fastdKey = "fastd-key", file, sysctl, module, unit, service
    }

    public var action: Action
    public var kind: Kind
    public var resource: String
    public var reason: String
    /// What a changed file asks for afterwards (restart ssh, run daemon-reload …).
    public var triggers: [ServiceTrigger]
    /// Unified diff of a file's content, secrets masked; nil for other kinds.
    public var diff: String?

    public init(action: Action, kind: Kind, resource: String, reason: String, triggers: [ServiceTrigger] = [], diff: String? = nil) {
        self.action = action
        self.kind = kind
        self.resource = resource
        self.reason = reason
        self.triggers = triggers
        self.diff = diff
    }
}
