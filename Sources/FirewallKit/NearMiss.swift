/// A rule the packet reached that would have decided the question as expected but for one of its conditions:
/// usually the reason an intent fails (`-i bat0` where the mesh bridge is `br-ffx`).
public struct NearMiss: Hashable, Sendable, CustomStringConvertible {
    /// The rule, as it stands in the file.
    public var rule: RuleReference
    /// The failing condition's option as iptables writes it: `-i`, `--dport`, `--ctstate`.
    public var field: String
    /// The failing condition as written: `-i bat0`.
    public var condition: String
    /// What the packet has there instead (`br-ffx`), nil when the field is not one of the packet's.
    public var packetValue: String?

    public init(rule: RuleReference, field: String, condition: String, packetValue: String?) {
        self.rule = rule
        self.field = field
        self.condition = condition
        self.packetValue = packetValue
    }

    public var description: String {
        "\(rule.table) \(rule.chain) \(rule) would decide it but for \(field) (rule: \(condition); packet: \(packetValue ?? "-"))"
    }
}
