import Foundation
import GatewayBase

/// A fastd remote from a Gluon peer (`'"gw1.example.net" port 10000'`, `'[2001:db8::1]:10000'`), parsed so gateways and ports can be taken over.
public struct GluonRemote: Sendable, Equatable, CustomStringConvertible {
    /// The address family fastd is told to use: `ipv4 "h"`/`ipv6 "h"`, implied by an address literal, or any.
    public enum Family: String, Sendable, Equatable {
        case any, ipv4, ipv6
    }

    /// Whether the host is a DNS name or an address literal.
    public enum HostKind: String, Sendable, Equatable {
        case name, ipv4Address, ipv6Address
    }

    public var host: String
    public var port: Int
    public var family: Family
    public var hostKind: HostKind

    public init(host: String, port: Int, family: Family = .any, hostKind: HostKind = .name) {
        self.host = host
        self.port = port
        self.family = family
        self.hostKind = hostKind
    }

    /// fastd's own spelling of this remote (address literals in the `address:port` form).
    public var description: String {
        switch hostKind {
        case .ipv4Address: "\(host):\(port)"
        case .ipv6Address: "[\(host)]:\(port)"
        case .name where family == .any: "\"\(host)\" port \(port)"
        case .name: "\(family.rawValue) \"\(host)\" port \(port)"
        }
    }

    /// Parses the forms Gluon sites use: `"host" port N`, `ipv4 "host" port N`, `ipv6 "host" port N`,
    /// `[v6]:N`, `[v6] port N`, `a.b.c.d:N`, `a.b.c.d port N`.
    public static func parse(_ text: String) throws(GluonRemoteError) -> GluonRemote {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var rest = Substring(trimmed)
        var family = Family.any
        if let keyword = [Family.ipv4, .ipv6].first(where: { rest.hasPrefix($0.rawValue + " ") || rest.hasPrefix($0.rawValue + "\"") }) {
            family = keyword
            rest = rest.dropFirst(keyword.rawValue.count).drop(while: { $0 == " " || $0 == "\t" })
        }

        if rest.hasPrefix("\"") {
            let afterQuote = rest.dropFirst()
            guard let closing = afterQuote.firstIndex(of: "\"") else {
                throw GluonRemoteError(text: text, message: "the host name has no closing '\"'")
            }
            let host = String(afterQuote[..<closing])
            guard isIPv4Address(host) || isIPv6Address(host) || isDNSName(host) else {
                throw GluonRemoteError(text: text, message: "\(Echo.quoted(host)) is neither a DNS name nor an IP address", isHostGrammar: true)
            }
            let port = try parsePortClause(afterQuote[afterQuote.index(after: closing)...], text: text)
            var kind = HostKind.name
            if isIPv4Address(host) { kind = .ipv4Address }
            if isIPv6Address(host) { kind = .ipv6Address }
            try checkFamily(family, kind: kind, text: text)
            return GluonRemote(host: host, port: port, family: family, hostKind: kind)
        }
        guard family == .any else {
            throw GluonRemoteError(text: text, message: "'\(family.rawValue)' must be followed by a quoted host name")
        }
        return try parseAddress(rest, text: text, allowHostNames: false)
    }

    /// Parses a WireGuard-style endpoint `host:port`, `[v6]:port` or `a.b.c.d:port`.
    public static func parseEndpoint(_ text: String) throws(GluonRemoteError) -> GluonRemote {
        try parseAddress(Substring(text.trimmingCharacters(in: .whitespaces)), text: text, allowHostNames: true)
    }

    private static func parseAddress(_ rest: Substring, text: String, allowHostNames: Bool) throws(GluonRemoteError) -> GluonRemote {
        if rest.hasPrefix("[") {
            guard let closing = rest.firstIndex(of: "]") else {
                throw GluonRemoteError(text: text, message: "the IPv6 address has no closing ']'")
            }
            let host = String(rest[rest.index(after: rest.startIndex)..<closing])
            guard isIPv6Address(host) else {
                throw GluonRemoteError(text: text, message: "\(Echo.quoted(host)) is not an IPv6 address")
            }
            let port = try parsePortClause(rest[rest.index(after: closing)...], text: text)
            return GluonRemote(host: host, port: port, family: .ipv6, hostKind: .ipv6Address)
        }
        let host: Substring
        let portClause: Substring
        if let space = rest.firstIndex(where: { $0 == " " || $0 == "\t" }) {
            host = rest[..<space]
            portClause = rest[space...]
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portClause = rest[colon...]
        } else {
            throw notARemote(text)
        }
        if isIPv4Address(String(host)) {
            let port = try parsePortClause(portClause, text: text)
            return GluonRemote(host: String(host), port: port, family: .ipv4, hostKind: .ipv4Address)
        }
        if allowHostNames, isDNSName(String(host)) {
            let port = try parsePortClause(portClause, text: text)
            return GluonRemote(host: String(host), port: port, family: .any, hostKind: .name)
        }
        if host.contains(":") {
            throw GluonRemoteError(text: text, message: "an IPv6 address must be written in brackets, as '[\(host)]:PORT'")
        }
        throw notARemote(text)
    }

    private static func notARemote(_ text: String) -> GluonRemoteError {
        GluonRemoteError(text: text, message: "not a fastd remote; expected '\"host\" port N', 'ipv4 \"host\" port N', '[IPv6]:N' or 'IPv4:N'")
    }

    /// Reads `port N` or `:N` (with nothing after it).
    private static func parsePortClause(_ clause: Substring, text: String) throws(GluonRemoteError) -> Int {
        var rest = clause.drop(while: { $0 == " " || $0 == "\t" })
        if rest.hasPrefix(":") {
            rest = rest.dropFirst()
        } else if rest.hasPrefix("port"), rest.dropFirst(4).first.map({ $0 == " " || $0 == "\t" }) == true {
            rest = rest.dropFirst(4).drop(while: { $0 == " " || $0 == "\t" })
        } else {
            throw GluonRemoteError(text: text, message: "expected 'port N' or ':N' after the host")
        }
        let portText = String(rest.reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
        guard !portText.isEmpty, portText.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw GluonRemoteError(text: text, message: "port \(Echo.quoted(portText)) is not a number")
        }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw GluonRemoteError(text: text, message: "port \(portText) is outside 1–65535")
        }
        return port
    }

    private static func checkFamily(_ family: Family, kind: HostKind, text: String) throws(GluonRemoteError) {
        if family == .ipv6 && kind == .ipv4Address || family == .ipv4 && kind == .ipv6Address {
            throw GluonRemoteError(text: text, message: "'\(family.rawValue)' does not match the address family of the host")
        }
    }

    /// Letters, digits, `-` and `_` in dot-separated labels of 1–63 bytes, 253 bytes at most: what a resolver can look up,
    /// and nothing a fastd config string or a YAML scalar would read differently.
    public static func isDNSName(_ text: String) -> Bool {
        let name = text.hasSuffix(".") ? String(text.dropLast()) : text
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-") && label.unicodeScalars.allSatisfy {
                ($0.value >= 0x30 && $0.value <= 0x39) || ($0.value >= 0x41 && $0.value <= 0x5A) || ($0.value >= 0x61 && $0.value <= 0x7A) || $0 == "-" || $0 == "_"
            }
        }
    }

    public static func isIPv4Address(_ text: String) -> Bool {
        var address = in_addr()
        return text.withCString { inet_pton(AF_INET, $0, &address) } == 1
    }

    public static func isIPv6Address(_ text: String) -> Bool {
        var address = in6_addr()
        return text.withCString { inet_pton(AF_INET6, $0, &address) } == 1
    }
}

/// Why a remote string could not be read, quoting the string so the user can find it.
public struct GluonRemoteError: Error, Sendable, Equatable, CustomStringConvertible {
    public var text: String
    public var message: String
    /// The host itself breaks the grammar (not a placeholder port), which import refuses rather than notes.
    public var isHostGrammar: Bool

    public init(text: String, message: String, isHostGrammar: Bool = false) {
        self.text = text
        self.message = message
        self.isHostGrammar = isHostGrammar
    }

    public var description: String { "remote \(Echo.quoted(text)): \(message)" }
}
