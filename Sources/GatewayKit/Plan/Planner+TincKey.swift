/// The backbone's host key: generated only where the gateway holds none and the site names none.
extension Planner {
    static func tincKeyChanges(_ desired: DesiredState, _ facts: HostFacts) -> [PlannedChange] {
        guard let key = desired.tincKey, key.publicKey == nil, facts.tincPublicKey == nil else { return [] }
        return [PlannedChange(action: .add, kind: .tincKey, resource: TincKey.privatePath,
                              reason: "no tinc host key; generated on the gateway (tincd -K), never copied off it; "
                                  + "apply prints its public half for the site's tinc_public_key",
                              triggers: key.units.map { .restart($0) })]
    }
}

/// At plan time: a gateway whose tinc key is not the one the site holds would be refused by every other gateway,
/// and one without a key would make a new one that none of them knows.
public enum TincKeyCheck {
    public static func check(_ desired: DesiredState, against facts: HostFacts) throws {
        guard let key = desired.tincKey, let wanted = key.publicKey, facts.tincPublicKey != wanted else { return }
        throw TincKeyMismatch(gateway: desired.gateway, wanted: wanted, held: facts.tincPublicKey)
    }
}

/// One line naming the gateway and what to do; nothing on the gateway has changed. Keys are shown by their start only.
public struct TincKeyMismatch: Error, Equatable, Sendable, CustomStringConvertible {
    public var gateway: String
    public var wanted: String
    /// nil when the gateway holds no tinc key.
    public var held: String?

    public var description: String {
        let site = "the site's tinc_public_key (\(wanted.prefix(24))…)"
        if let held {
            return "\(gateway): the gateway's tinc host key (\(held.prefix(24))…) is not \(site); "
                + "put the gateway's key in the site, or drop tinc_public_key, move \(TincKey.privatePath) away and apply to make a new one"
        }
        return "\(gateway): the gateway has no tinc host key, but the site names \(site); "
            + "drop tinc_public_key to let gwsetup generate one, then put the key apply prints in the site"
    }
}
