/// The mesh between the community's gateways: one tinc 1.0 net per domain in switch mode, whose tap joins the domain's
/// batman-adv, so nodes on different gateways reach each other without the internet.
public struct BackboneSettings: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case tinc
    }

    public var kind: Kind = .tinc
    /// The first domain's tinc port; the domain at index N listens on `basePort + N`, on every gateway alike.
    public var basePort: Int = BackboneSettings.defaultBasePort

    /// tinc's own default port.
    public static let defaultBasePort = 655

    /// The tinc port of the domain at `index` in the site's `domains`.
    public func port(domainIndex index: Int) -> Int { basePort + index }
}

extension Site {
    /// The tinc port of `domain`; nil without a backbone or for a domain the site does not have.
    public func backbonePort(of domain: MeshDomain) -> Int? {
        guard let backbone, let index = domains.firstIndex(where: { $0.code == domain.code }) else { return nil }
        return backbone.port(domainIndex: index)
    }
}

extension MeshDomain {
    /// The backbone's tap in this domain: the same four-byte stem as `vpn-`, so every interface_name that fits fastd fits tinc.
    public var backboneInterface: String { "tnc-" + interfaceName }
}

extension Gateway {
    /// The gateway's name as tinc's `Name` grammar allows it ([A-Za-z0-9_]); a host label has no `_`, so no two collide.
    public var tincName: String { name.replacingOccurrences(of: "-", with: "_") }
}
