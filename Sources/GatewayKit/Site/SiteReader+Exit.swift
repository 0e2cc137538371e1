import GatewayBase

extension SiteReader {
    /// `exit: {endpoint, public_key, mtu, keepalive, fallback, domains}`: the WireGuard exit the clients' IPv4 leaves through.
    mutating func readExit(_ value: YAMLValue, site: Site) throws -> ExitTunnel {
        let map = try value.mapping(knownKeys: ["endpoint", "public_key", "mtu", "keepalive", "fallback", "domains"])
        let endpointValue = try map.required("endpoint")
        let endpoint = try exitEndpoint(endpointValue)
        let keyValue = try map.required("public_key")
        let keyText = try keyValue.string(.exitPublicKey)
        guard let key = WireGuardPublicKey(keyText) else {
            throw keyValue.error("'public_key' is not a WireGuard public key (32 bytes in base64, 44 characters ending in '='); take the exit server's `wg pubkey`")
        }
        note(keyValue)
        var exit = ExitTunnel(endpoint: endpoint, publicKey: key)
        if let mtu = map["mtu"] { exit.mtu = try mtu.int(in: 1280...9000); note(mtu) }
        if let keepalive = map["keepalive"] { exit.keepalive = try keepalive.int(in: 0...3600); note(keepalive) }
        if let fallbackValue = map["fallback"] {
            let text = try fallbackValue.string(.exitFallback)
            guard let fallback = ExitTunnel.Fallback(rawValue: text) else { throw fallbackValue.error("'fallback' must be none or uplink, not \(Echo.quoted(text))") }
            exit.fallback = fallback
            note(fallbackValue)
        }
        if let domainsValue = map["domains"] {
            var codes: [String] = []
            for item in try domainsValue.sequence() {
                let code = try item.string(.exitDomains)
                guard let domain = site.domain(code) else { throw item.error("'domains' names \(Echo.quoted(code)), which is not a domain of this site") }
                guard domain.prefix4 != nil else { throw item.error("domain '\(code)' has no prefix4: the exit carries the clients' IPv4, and this domain has none") }
                guard !codes.contains(code) else { throw item.error("'domains' lists '\(code)' twice") }
                codes.append(code)
            }
            guard !codes.isEmpty else { throw domainsValue.error("'domains' is empty; leave it out to send every domain through the exit") }
            exit.domains = codes
            note(domainsValue)
        } else if !site.domains.contains(where: { $0.prefix4 != nil }) {
            throw value.error("no domain has a prefix4: the exit carries the clients' IPv4, and this site has none")
        }
        note(value)
        return exit
    }

    /// `HOST:PORT` or `[IPv6]:PORT`.
    private mutating func exitEndpoint(_ value: YAMLValue) throws -> ExitEndpoint {
        let text = try value.string(.exitEndpoint)
        var host: Substring
        var portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw value.error("'endpoint' \(Echo.quoted(text)) is not [IPv6]:PORT")
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
            guard IPv6Address(host) != nil else { throw value.error("'endpoint' \(Echo.quoted(text)) has no IPv6 address in brackets") }
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else {
                throw value.error("'endpoint' \(Echo.quoted(text)) is not HOST:PORT (an IPv6 address goes in brackets)")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            guard !host.hasPrefix("-"), FieldGrammar.isHost(String(host)) else {
                throw value.error("'endpoint' \(Echo.quoted(text)) names neither a DNS name nor an IP address before the port")
            }
        }
        guard let port = Int(portText), (1...65535).contains(port), portText.allSatisfy(\.isASCIIDigit) else {
            throw value.error("'endpoint' \(Echo.quoted(text)) has no port 1-65535 after the ':'")
        }
        if let address = IPAddress(String(host)), AddressScope.of(address) != nil {
            throw value.error("'endpoint' \(Echo.quoted(text)) is not a unicast address the gateway could reach")
        }
        note(value)
        return ExitEndpoint(host: String(host), port: port)
    }

    /// `a.b.c.d/n`: the gateway's tunnel address, as the exit server assigned it.
    mutating func exitAddress(_ value: YAMLValue) throws -> ExitAddress {
        let text = try value.string(.gatewayExitAddress)
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPv4Address(parts[0]), let length = Int(parts[1]), (8...32).contains(length),
              parts[1].allSatisfy(\.isASCIIDigit) else {
            throw value.error("'exit_address' \(Echo.quoted(text)) is not an IPv4 address with its prefix length (e.g. 10.200.0.2/32)")
        }
        if let scope = AddressScope.of(address) { throw value.error("'exit_address' \(address) is \(scope.rawValue), not a unicast address") }
        note(value)
        return ExitAddress(address: address, prefixLength: length)
    }
}
