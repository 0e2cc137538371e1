import GatewayBase

extension IPFamily {
    /// "IPv4"/"IPv6", the way admins write them, for intent names and reports.
    public var displayName: String { self == .ipv4 ? "IPv4" : "IPv6" }
}
