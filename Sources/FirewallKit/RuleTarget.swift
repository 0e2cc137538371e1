/// What a rule does when it matches: `-j TARGET` or `-g CHAIN`.
public enum RuleTarget: Hashable, Sendable {
    case accept
    case drop
    case returnFromChain
    /// `REJECT [--reject-with TYPE]`.
    case reject(with: String?)
    /// `-j CHAIN`: a user chain of the same table.
    case jump(String)
    /// `-g CHAIN`: RETURN from CHAIN goes back to the caller of the chain that did the goto.
    case goto(String)
    case masquerade(options: [ExtensionOption])
    /// `SNAT --to-source ADDR[:PORTS]`.
    case sourceNAT(to: String, options: [ExtensionOption])
    /// `DNAT --to-destination ADDR[:PORTS]`.
    case destinationNAT(to: String, options: [ExtensionOption])
    /// `TCPMSS --clamp-mss-to-pmtu` or `--set-mss N`.
    case clampMSS(MSSClamp)
    /// `MARK --set-xmark value/mask` (every MARK form normalised to it, as iptables-save does).
    case setMark(value: UInt32, mask: UInt32)
    /// `NOTRACK` or `CT --notrack`: later tables see the packet as UNTRACKED.
    case notrack(name: String)
    /// Any other target (LOG, NFLOG, CT, unknown ones) with its options as written.
    case other(name: String, options: [ExtensionOption])

    /// The name after `-j` (or the chain after `-g`).
    public var name: String {
        switch self {
        case .accept: "ACCEPT"
        case .drop: "DROP"
        case .returnFromChain: "RETURN"
        case .reject: "REJECT"
        case .jump(let chain), .goto(let chain): chain
        case .masquerade: "MASQUERADE"
        case .sourceNAT: "SNAT"
        case .destinationNAT: "DNAT"
        case .clampMSS: "TCPMSS"
        case .setMark: "MARK"
        case .notrack(let name): name
        case .other(let name, _): name
        }
    }
}

/// How TCPMSS rewrites the MSS option of SYN packets.
public enum MSSClamp: Hashable, Sendable {
    case toPathMTU
    case fixed(UInt16)
}

extension RuleTarget {
    /// Targets that only observe or annotate a packet and let traversal continue.
    public static let nonTerminatingNames: Set<String> = [
        "LOG", "NFLOG", "ULOG", "TRACE", "AUDIT", "TCPMSS", "CLASSIFY", "DSCP", "TOS", "TTL", "HL", "ECN",
        "CHECKSUM", "IDLETIMER", "LED", "SECMARK", "CONNSECMARK", "CONNMARK", "SET", "RATEEST", "TEE", "CT",
    ]

    /// Targets that end traversal of the whole table.
    static let terminatingNames: Set<String> = [
        "ACCEPT", "DROP", "REJECT", "QUEUE", "NFQUEUE", "DNAT", "SNAT", "MASQUERADE", "REDIRECT", "NETMAP",
        "TPROXY", "SYNPROXY", "TARPIT",
    ]
}
