import FirewallKit

/// The rule that would have made a failing intent hold but for one condition, cited like every other rule.
public struct CitedNearMiss: Sendable, Equatable, Encodable {
    public var rule: CitedRule
    /// The option that failed, as iptables writes it: `-i`, `--dport`.
    public var field: String
    /// The failing condition as the rule has it: `-i bat0`.
    public var condition: String
    /// What the intent's packet has there instead (`br-ffx`); null when the field is not a packet value.
    public var packet: String?

    private enum CodingKeys: String, CodingKey { case rule, field, condition, packet }

    /// Every key always present (null when absent), so scripts reading `--json` need no existence checks.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rule, forKey: .rule)
        try container.encode(field, forKey: .field)
        try container.encode(condition, forKey: .condition)
        try container.encode(packet, forKey: .packet)
    }

    init(_ nearMiss: NearMiss, file: String) {
        rule = CitedRule(file: file, reference: nearMiss.rule, assumption: nil)
        field = nearMiss.field
        condition = nearMiss.condition
        packet = nearMiss.packetValue
    }
}
