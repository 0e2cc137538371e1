import Foundation

/// The bytes of a secret file as apply sends them: read again at apply time and checked against the planned public key,
/// so a file that changed since plan is refused rather than installed.
struct FastdSecretPayload {
    let bytes: Data
    let publicKey: String

    /// nil for a key the gateway generates itself.
    init?(_ key: FastdKey) throws {
        guard let path = key.secretFile else { return nil }
        guard let planned = key.publicKey else { throw ApplyError.planMismatch("the secret file for fastd instance \(key.instance) has no planned public key") }
        let hex = try FastdSecretFile.secretHex(at: path)
        guard try FastdPublicKey.derive(fromSecretHex: hex) == planned else {
            throw ApplyError.planMismatch("\(path) no longer holds the secret of public key \(planned); plan again")
        }
        bytes = Data("secret \"\(hex)\";\n".utf8)
        publicKey = planned
    }
}
