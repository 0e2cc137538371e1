import GatewayBase

/// At plan time, before anything changes: an admin must not take over an account the gateway already has for the
/// system (UID below 1000), whose sudo membership and authorized_keys would hand that service a login.
public enum AdminAccountCheck {
    public static func check(_ desired: DesiredState, against facts: HostFacts) throws {
        for user in desired.users {
            if let uid = facts.systemAccounts[user.name] {
                throw SystemAccountAdmin(gateway: desired.gateway, admin: user.name, uid: uid)
            }
        }
    }
}

/// One line naming the gateway and the admin; the site must pick another name.
public struct SystemAccountAdmin: Error, Equatable, Sendable, CustomStringConvertible {
    public var gateway: String
    public var admin: String
    public var uid: Int

    public var description: String {
        "\(gateway): admin \(Echo.quoted(admin)) is a system account there (UID \(uid)); give the admin another name in the site"
    }
}
