/// At plan time, before anything changes: a gateway whose fastd key is not the one the site pins would cut off every
/// node that trusts the pinned key, and one without a secret cannot get the pinned key unless the site names its secret.
public enum FastdKeyCheck {
    public static func check(_ desired: DesiredState, against facts: HostFacts) throws {
        for key in desired.fastdKeys {
            guard let pinned = key.publicKey, key.secretFile == nil else { continue }
            let held = facts.fastdPublicKeys[key.instance]
            if held != pinned { throw FastdKeyMismatch(gateway: desired.gateway, instance: key.instance, pinned: pinned, held: held) }
        }
    }
}

/// One line naming the gateway, the instance and both keys; nothing on the gateway has changed.
public struct FastdKeyMismatch: Error, Equatable, Sendable, CustomStringConvertible {
    public var gateway: String
    public var instance: String
    public var pinned: String
    /// nil when the gateway has no secret for the instance yet.
    public var held: String?

    public var description: String {
        if let held {
            return "\(gateway): fastd instance \(instance) holds public key \(held), but the site pins \(pinned) (fastd_public_key); "
                + "fix the pin, or name the pinned key's secret with fastd_secret_file"
        }
        return "\(gateway): fastd instance \(instance) has no secret, and the site pins public key \(pinned) (fastd_public_key); "
            + "name that key's secret with fastd_secret_file, or drop the pin to let gwsetup generate a new key (the firmware must then learn it)"
    }
}
