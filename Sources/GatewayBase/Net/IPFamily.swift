/// Address family, because iptables and ip6tables keep separate tables and every layer above them says which one.
public enum IPFamily: String, Hashable, Sendable {
    case ipv4
    case ipv6
}
