import GatewayBase

/// A stable machine key for an intent (`ipv4.mesh.ffx.dns-udp`), so scripts need not match English sentences.
///
/// Grammar: `family.scope[.domain].service`. family is `ipv4` or `ipv6`; scope is `mesh`, `uplink` or `forward`;
/// domain is the site's domain code as written (mesh and forward intents always have one, uplink ones only for a
/// domain's own port); service is lower-case words joined by `-`, with the protocol last where there are two
/// (`dns-udp`), and `closed-`/`refused-` first for what must be blocked.
public struct IntentID: Hashable, Sendable, CustomStringConvertible {
    public enum Scope: String, Sendable, CaseIterable {
        /// Packets from the clients on a mesh bridge to the gateway (and its own announcements there).
        case mesh
        /// Packets from the internet to the gateway's uplink address.
        case uplink
        /// Packets routed between a mesh bridge and the uplink.
        case forward
    }

    public let family: IPFamily
    public let scope: Scope
    public let domain: String?
    public let service: String

    public init(family: IPFamily, scope: Scope, domain: String?, service: String) {
        self.family = family
        self.scope = scope
        self.domain = domain
        self.service = service
    }

    public var description: String {
        ([family.rawValue, scope.rawValue] + (domain.map { [$0] } ?? []) + [service]).joined(separator: ".")
    }

    /// Reads an id back, nil unless it follows the grammar exactly (a domain code as the site grammar allows one).
    public init?(parsing text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 || parts.count == 4, let family = IPFamily(rawValue: parts[0]),
              let scope = Scope(rawValue: parts[1]), let service = parts.last, Self.isService(service) else { return nil }
        let domain = parts.count == 4 ? parts[2] : nil
        if let domain, !Self.isDomainCode(domain) { return nil }
        // mesh and forward intents belong to one domain; uplink ones may.
        if domain == nil && scope != .uplink { return nil }
        self.init(family: family, scope: scope, domain: domain, service: service)
    }

    /// Words of lower-case letters and digits joined by single `-`.
    static func isService(_ text: String) -> Bool {
        let words = text.split(separator: "-", omittingEmptySubsequences: false)
        return !words.isEmpty && words.allSatisfy { word in
            !word.isEmpty && word.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        }
    }

    /// The site's `domains[].code` grammar: an ASCII letter, then letters, digits, `_` and `-`.
    static func isDomainCode(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") }
    }
}
