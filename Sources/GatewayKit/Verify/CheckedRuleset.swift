import GatewayBase
import FirewallKit

/// A ruleset with the name of where it came from, so every rule a verdict cites reads as `SOURCE:LINE`.
public struct CheckedRuleset: Sendable {
    public var ruleset: Ruleset
    /// A file path, or a label such as `iptables-save on root@gw1` for a live dump.
    public var source: String

    public init(_ ruleset: Ruleset, source: String) {
        self.ruleset = ruleset
        self.source = source
    }

    public var family: IPFamily { ruleset.family }

    /// Parses a dump or restore file, refusing one of the other family (an IPv6 dump passed as --rules).
    public static func load(path: String, family: IPFamily) throws -> CheckedRuleset {
        let ruleset = try RulesetParser.parse(contentsOf: path)
        guard ruleset.family == family else {
            throw VerifyError.wrongFamily("\(path): this is an \(ruleset.family.displayName) ruleset; pass it with \(ruleset.family == .ipv6 ? "--rules6" : "--rules")")
        }
        return CheckedRuleset(ruleset, source: path)
    }
}
