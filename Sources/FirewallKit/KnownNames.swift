/// Fixed name tables, so parsing does not depend on this machine's /etc/protocols or /etc/services.
enum KnownNames {
    /// Protocol names as Debian's /etc/protocols (netbase, which iptables depends on) spells them; the first name of a
    /// number is the one iptables-save prints, later ones are aliases iptables also accepts.
    static let protocols: [(String, UInt8)] = [
        ("icmp", 1), ("igmp", 2), ("ipencap", 4), ("tcp", 6), ("egp", 8), ("udp", 17), ("dccp", 33), ("ipv6", 41),
        ("ipv6-route", 43), ("ipv6-frag", 44), ("rsvp", 46), ("gre", 47), ("esp", 50), ("ah", 51), ("ipv6-icmp", 58),
        ("icmpv6", 58), ("ipv6-nonxt", 59), ("ipv6-opts", 60), ("eigrp", 88), ("ospf", 89), ("ipip", 94),
        ("etherip", 97), ("pim", 103), ("ipcomp", 108), ("vrrp", 112), ("l2tp", 115), ("isis", 124), ("sctp", 132),
        ("mobility-header", 135), ("mh", 135), ("ipv6-mh", 135), ("udplite", 136),
    ]

    static func protocolNumber(_ name: String) -> UInt8? {
        let lower = name.lowercased()
        if let number = UInt8(lower) { return number }
        return protocols.first { $0.0 == lower }?.1
    }

    static func protocolName(_ number: UInt8) -> String? {
        protocols.first { $0.1 == number }?.0
    }

    /// Service names seen in hand-written rule files (`--dport domain`).
    static let services: [String: UInt16] = [
        "ftp-data": 20, "ftp": 21, "ssh": 22, "telnet": 23, "smtp": 25, "domain": 53, "bootps": 67, "bootpc": 68,
        "tftp": 69, "http": 80, "www": 80, "kerberos": 88, "pop3": 110, "sunrpc": 111, "auth": 113, "ntp": 123,
        "netbios-ns": 137, "netbios-dgm": 138, "netbios-ssn": 139, "imap": 143, "imap2": 143, "snmp": 161,
        "snmp-trap": 162, "bgp": 179, "ldap": 389, "https": 443, "microsoft-ds": 445, "isakmp": 500, "syslog": 514,
        "submission": 587, "ldaps": 636, "rsync": 873, "imaps": 993, "pop3s": 995, "openvpn": 1194,
        "l2tp": 1701, "radius": 1812, "mysql": 3306, "postgresql": 5432, "ipsec-nat-t": 4500, "munin": 4949,
        "dhcpv6-client": 546, "dhcpv6-server": 547, "tinc": 655, "domain-s": 853, "http-alt": 8080,
    ]

    /// IPv4 ICMP names as iptables spells them: name → (type, code range).
    static let icmpTypes: [String: (UInt8?, ClosedRange<UInt8>)] = [
        "any": (nil, 0...255),
        "echo-reply": (0, 0...255), "pong": (0, 0...255),
        "destination-unreachable": (3, 0...255),
        "network-unreachable": (3, 0...0), "host-unreachable": (3, 1...1), "protocol-unreachable": (3, 2...2),
        "port-unreachable": (3, 3...3), "fragmentation-needed": (3, 4...4), "source-route-failed": (3, 5...5),
        "network-unknown": (3, 6...6), "host-unknown": (3, 7...7), "network-prohibited": (3, 9...9),
        "host-prohibited": (3, 10...10), "TOS-network-unreachable": (3, 11...11), "TOS-host-unreachable": (3, 12...12),
        "communication-prohibited": (3, 13...13), "host-precedence-violation": (3, 14...14),
        "precedence-cutoff": (3, 15...15),
        "source-quench": (4, 0...255),
        "redirect": (5, 0...255), "network-redirect": (5, 0...0), "host-redirect": (5, 1...1),
        "TOS-network-redirect": (5, 2...2), "TOS-host-redirect": (5, 3...3),
        "echo-request": (8, 0...255), "ping": (8, 0...255),
        "router-advertisement": (9, 0...255), "router-solicitation": (10, 0...255),
        "time-exceeded": (11, 0...255), "ttl-exceeded": (11, 0...255),
        "ttl-zero-during-transit": (11, 0...0), "ttl-zero-during-reassembly": (11, 1...1),
        "parameter-problem": (12, 0...255), "ip-header-bad": (12, 0...0), "required-option-missing": (12, 1...1),
        "timestamp-request": (13, 0...255), "timestamp-reply": (14, 0...255),
        "address-mask-request": (17, 0...255), "address-mask-reply": (18, 0...255),
    ]

    /// ICMPv6 names as ip6tables spells them.
    static let icmpv6Types: [String: (UInt8?, ClosedRange<UInt8>)] = [
        "destination-unreachable": (1, 0...255), "no-route": (1, 0...0), "communication-prohibited": (1, 1...1),
        "beyond-scope": (1, 2...2), "address-unreachable": (1, 3...3), "port-unreachable": (1, 4...4),
        "failed-policy": (1, 5...5), "reject-route": (1, 6...6),
        "packet-too-big": (2, 0...255),
        "time-exceeded": (3, 0...255), "ttl-exceeded": (3, 0...255),
        "ttl-zero-during-transit": (3, 0...0), "ttl-zero-during-reassembly": (3, 1...1),
        "parameter-problem": (4, 0...255), "bad-header": (4, 0...0), "unknown-header-type": (4, 1...1),
        "unknown-option": (4, 2...2),
        "echo-request": (128, 0...255), "ping": (128, 0...255),
        "echo-reply": (129, 0...255), "pong": (129, 0...255),
        "mld-listener-query": (130, 0...255), "mld-listener-report": (131, 0...255),
        "mld-listener-done": (132, 0...255), "mld-listener-reduction": (132, 0...255),
        "router-solicitation": (133, 0...255), "router-advertisement": (134, 0...255),
        "neighbour-solicitation": (135, 0...255), "neighbor-solicitation": (135, 0...255),
        "neighbour-advertisement": (136, 0...255), "neighbor-advertisement": (136, 0...255),
        "redirect": (137, 0...255),
    ]
}
