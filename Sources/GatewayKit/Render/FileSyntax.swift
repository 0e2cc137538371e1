/// The syntax of a file gwsetup renders, declared per template family, so every value is escaped for
/// the file it lands in rather than trusted to have been checked at load.
public enum FileSyntax: String, Sendable, CaseIterable {
    case sudoers, sshdConfig, authorizedKeys, systemdUnit, networkd, shell, iptablesRestore
    case fastd, dnsmasq, unbound, radvd, chrony, fail2ban, sysctl, modulesLoad, tinc

    /// The syntax of a template, by its name below Templates/ (`sudo/gwsetup-admins`); nil for a name no family claims.
    public init?(templateName name: String) {
        let family = name.split(separator: "/").first.map(String.init) ?? name
        switch family {
        case "sudo": self = .sudoers
        case "ssh": self = name.hasSuffix("authorized_keys") ? .authorizedKeys : .sshdConfig
        case "systemd": self = .systemdUnit
        case "networkd": self = .networkd
        // wg(8)'s config is networkd's INI shape: `[Peer]`, `Key=Value`, `#` comments.
        case "wireguard": self = name.hasSuffix(".sh") ? .shell : .networkd
        case "firewall": self = .shell
        case "iptables": self = .iptablesRestore
        case "fastd": self = .fastd
        case "dnsmasq": self = .dnsmasq
        case "unbound": self = .unbound
        case "radvd": self = .radvd
        case "chrony": self = .chrony
        case "fail2ban": self = .fail2ban
        case "sysctl": self = .sysctl
        case "modules": self = .modulesLoad
        case "tinc": self = name.hasSuffix("/tinc-up") || name.hasSuffix("/tinc-down") ? .shell : .tinc
        default: return nil
        }
    }

    /// Characters that open a comment at the start of a line (after blanks).
    var commentLeaders: Set<Character> {
        switch self {
        case .systemdUnit, .networkd, .fail2ban, .sysctl, .modulesLoad: ["#", ";"]
        case .chrony: ["#", "!", ";", "%"]
        default: ["#"]
        }
    }

    /// Whether `#` after a blank opens a comment in mid-line too (outside quotes).
    var hasInlineComments: Bool {
        switch self {
        case .shell, .fastd, .unbound, .radvd: true
        default: false
        }
    }

    /// Characters that open a quoted string the daemon reads as one token.
    var quotes: Set<Character> {
        switch self {
        case .shell: ["'", "\""]
        case .sshdConfig, .iptablesRestore, .fastd, .unbound: ["\""]
        default: []
        }
    }

    /// Whether a backslash inside quotes escapes the next character.
    var backslashEscapesInQuotes: Bool { self == .iptablesRestore || self == .fastd || self == .shell }

    /// fastd's `on up "…"` strings run over several lines; everywhere else a line ends an open quote.
    var quotesSpanLines: Bool { self == .fastd || self == .shell }

    /// systemd joins a line that ends in a backslash with the next one, which would swallow the next setting.
    var joinsLinesEndingInBackslash: Bool { self == .systemdUnit || self == .networkd }

    /// What a value may be at each kind of place in a file of this syntax.
    func rule(for place: TemplateSlot.Place) -> SlotRule {
        switch place {
        case .comment:
            return .comment
        case .quoted(let quote):
            switch self {
            case .shell: return quote == "'" ? .shellSingleQuoted : .shellDoubleQuoted
            case .iptablesRestore: return .backslashQuoted(maxBytes: 255)
            // fastd's strings here are interface names, methods, paths and arguments of the on-up shell commands.
            case .fastd: return .word(extra: "._+@:-", leadingDash: false)
            // unbound's quoted strings hold DNS names and local-data records, whose fields blanks would separate.
            case .unbound: return .word(extra: "._:-", leadingDash: false)
            default: return .word(extra: "._:/@-", leadingDash: false)
            }
        case .bare:
            switch self {
            case .sudoers: return .userName
            case .authorizedKeys: return .line
            case .systemdUnit: return .unitText
            case .shell: return .word(extra: "._/:@%+=,-", leadingDash: false)
            case .iptablesRestore: return .word(extra: "._:/-", leadingDash: false)
            case .fastd: return .word(extra: "._:-", leadingDash: false)
            case .fail2ban: return .word(extra: "._:-", leadingDash: true)
            case .sysctl: return .word(extra: "._/-", leadingDash: false)
            case .modulesLoad: return .word(extra: "_-", leadingDash: false)
            // Names, ports, addresses and host names, and the public key's base64 lines.
            case .tinc: return .word(extra: "._:+/=-", leadingDash: false)
            case .unbound: return .word(extra: "._:/@", leadingDash: false)
            // Names, addresses, a WireGuard key's base64 (the value is everything after the key's first '=') and an
            // endpoint's bracketed IPv6 address; every slot is a value after `Key=`, so '[' never opens a section.
            case .networkd: return .word(extra: "._:/+=[]-", leadingDash: false)
            case .sshdConfig, .dnsmasq, .radvd, .chrony: return .word(extra: "._:/-", leadingDash: false)
            }
        }
    }

    /// How messages name the file kind.
    var displayName: String {
        switch self {
        case .sudoers: "sudoers"
        case .sshdConfig: "sshd_config"
        case .authorizedKeys: "authorized_keys"
        case .systemdUnit: "a systemd unit"
        case .networkd: "a networkd file"
        case .shell: "a shell script"
        case .iptablesRestore: "an iptables-restore file"
        case .fastd: "fastd.conf"
        case .dnsmasq: "dnsmasq.conf"
        case .unbound: "unbound.conf"
        case .radvd: "radvd.conf"
        case .chrony: "chrony.conf"
        case .fail2ban: "a fail2ban jail"
        case .sysctl: "sysctl.d"
        case .modulesLoad: "modules-load.d"
        case .tinc: "a tinc config file"
        }
    }
}
