@testable import GatewayKit
@testable import GatewayBase
@testable import FirewallKit

/// Parses an inline ruleset, failing the test with the parser's message if it is malformed.
func parseRules(_ text: String, family: IPFamily = .ipv4) throws -> Ruleset {
    try RulesetParser.parse(text, file: "test.rules", family: family)
}

func ip(_ text: String) -> IPAddress { IPAddress(text)! }

/// A filter table with the given INPUT policy and rules, for chain-semantics tests.
func filterRules(policy: String = "DROP", chains: [String] = [], _ rules: String) -> String {
    "*filter\n:INPUT \(policy) [0:0]\n:FORWARD \(policy) [0:0]\n:OUTPUT ACCEPT [0:0]\n"
        + chains.map { ":\($0) - [0:0]\n" }.joined() + rules + "\nCOMMIT\n"
}

extension Decision {
    /// Line numbers of the rules a definite answer rests on (policy steps have none).
    var provingLines: [Int]? {
        if case .holds(_, let steps) = self { return steps.compactMap { $0.rule?.line } }
        return nil
    }

    var dependsOnLines: [Int]? {
        if case .depends(let rules, _) = self { return rules.map(\.line) }
        return nil
    }
}
