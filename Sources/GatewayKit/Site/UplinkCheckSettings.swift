import GatewayBase

/// `services.uplink_check`: the targets the gateway agent probes through the uplink and how quickly it drains.
public struct UplinkCheckSettings: Sendable, Equatable {
    /// An ICMP echo to an address, or an HTTP GET to `http://ADDRESS[:PORT][/PATH]`; never a name, since DNS may be what died.
    public enum Target: Sendable, Equatable {
        case icmp(IPAddress)
        case http(IPAddress, port: Int, path: String)
    }

    public var targets: [Target]
    public var interval: Int
    public var failAfter: Int
    public var recoverAfter: Int
    public var timeout: Int

    public static let defaultInterval = 10
    public static let defaultFailAfter = 3
    public static let defaultRecoverAfter = 3
    public static let defaultTimeout = 2
}

extension UplinkCheckSettings.Target {
    /// `192.0.2.1`, `2001:db8::1`, `http://192.0.2.1/`, `http://[2001:db8::1]:8080/health`; nil names the defect.
    static func parse(_ text: String) -> Result<Self, TargetDefect> {
        if let address = IPAddress(text) { return .success(.icmp(address)) }
        guard text.hasPrefix("http://") else { return .failure(TargetDefect("is neither an IP address nor http://ADDRESS/ (names are not allowed: DNS may be what died)")) }
        let rest = text.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        guard path.isEmpty || path.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "\"" && $0 != "\\" }), path.utf8.count <= 200 else {
            return .failure(TargetDefect("has a path with spaces, quotes or non-ASCII characters"))
        }
        var host = Substring(authority)
        var port = 80
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return .failure(TargetDefect("has an unclosed '['")) }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let number = Int(after.dropFirst()), (1...65535).contains(number) else { return .failure(TargetDefect("has a bad port")) }
                port = number
            }
            guard case .v6? = IPAddress(host) else { return .failure(TargetDefect("has no IPv6 address in brackets")) }
        } else {
            if let colon = authority.firstIndex(of: ":") {
                guard let number = Int(authority[authority.index(after: colon)...]), (1...65535).contains(number) else { return .failure(TargetDefect("has a bad port")) }
                port = number
                host = authority[..<colon]
            }
            guard case .v4? = IPAddress(host) else { return .failure(TargetDefect("needs an IPv4 address, or an IPv6 address in brackets, not a name")) }
        }
        return .success(.http(IPAddress(host)!, port: port, path: path.isEmpty ? "/" : String(path)))
    }

    struct TargetDefect: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }
}
