import GatewayBase

/// A WireGuard peer's `endpoint` as Gluon writes it (`host:port`, `[v6]:port`): read strictly, because the host
/// becomes a gateway's public host and the port the domain's, and only a name or an address may get that far.
public struct GluonWireGuardEndpoint: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// nil for anything that is not a DNS name or IP address, a ':' and a port 1–65535.
    public static func parse(_ text: String) -> GluonWireGuardEndpoint? {
        guard text.utf8.count <= 300, let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy(\.isASCIIDigit), let port = Int(portText), (1...65535).contains(port) else { return nil }
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
            return GluonRemote.isIPv6Address(host) ? GluonWireGuardEndpoint(host: host, port: port) : nil
        }
        guard GluonRemote.isDNSName(host) || GluonRemote.isIPv4Address(host) else { return nil }
        return GluonWireGuardEndpoint(host: host, port: port)
    }

    /// `host:port`, an IPv6 address in brackets.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
