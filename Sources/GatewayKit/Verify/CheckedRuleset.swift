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
            let (given, wanted) = family == .ipv4 ? ("IPv6", "--rules6") : ("IPv4", "--rules")
            throw VerifyError("\(path): this is an \(given) ruleset; pass it with \(wanted)")
        }
        return CheckedRuleset(ruleset, source: path)
    }
}

/// A verify failure the admin must fix before anything can be checked: one line, what and where.
public struct VerifyError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension IPFamily {
    /// "IPv4"/"IPv6", the way admins write them.
    public var displayName: String { self == .ipv4 ? "IPv4" : "IPv6" }
}
