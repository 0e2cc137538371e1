import GatewayBase

/// At plan time: an apply that deletes the very account it logs in as would cut itself off mid-run, and the firewall
/// confirmation over a new connection could then only roll back. The site must name another login first.
public enum RemovedLoginCheck {
    public static func check(_ plan: Plan, loginUser: String?) throws {
        guard let loginUser, plan.changes.contains(where: { $0.action == .remove && $0.kind == .user && $0.resource == loginUser }) else { return }
        throw RemovedLoginAdmin(gateway: plan.gateway, admin: loginUser)
    }
}

/// One line naming the gateway and the admin whose removal would lock gwsetup out.
public struct RemovedLoginAdmin: Error, Equatable, Sendable, CustomStringConvertible {
    public var gateway: String
    public var admin: String

    public var description: String {
        "\(gateway): the site drops admin \(Echo.quoted(admin)), the account gwsetup logs in as; log in as another admin (ssh: in the site) to remove it"
    }
}

extension GatewayConnection {
    /// `admin` of `admin@gw1`; nil on the local host.
    var loginUser: String? {
        if case .ssh(let user, _, _) = self { return user }
        return nil
    }
}
