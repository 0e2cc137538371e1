/// A verify failure the admin must fix before anything can be checked: one line, what and where.
public enum VerifyError: Error, Sendable, CustomStringConvertible {
    /// A ruleset file passed as the other address family.
    case wrongFamily(String)
    /// The firewall gwsetup rendered does not parse: the templates are at fault, not the host.
    case renderedFirewallUnreadable(String)
    /// The host's live rules could not be read, or came back cut short.
    case liveRulesUnreadable(String)

    public var description: String {
        switch self {
        case .wrongFamily(let text), .renderedFirewallUnreadable(let text), .liveRulesUnreadable(let text): text
        }
    }
}
