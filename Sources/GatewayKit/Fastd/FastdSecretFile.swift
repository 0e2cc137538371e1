import Foundation
import GatewayBase

/// A fastd secret the site names by file, read on the admin's machine; no message ever quotes its content.
public enum FastdSecretFile {
    /// `secret "…";` is 75 bytes; a larger file is not a secret file, so it is not read on.
    static let sizeLimit = 4096

    /// The secret's hex digits in `path`, or an error that names the file and never its content.
    public static func secretHex(at path: String) throws -> String {
        let data: Data
        do { data = try FileAccess.data(at: path, limit: sizeLimit) } catch { throw FastdSecretFileError("cannot read fastd secret file \(path): \(error.reason)") }
        guard let text = String(data: data, encoding: .utf8), let hex = FastdPublicKey.secretHex(inFile: text) else {
            throw FastdSecretFileError("\(path) is not a fastd secret file (expected 'secret \"<64 hex digits>\";' as fastd --generate-key makes)")
        }
        return hex
    }

    /// The public key of the secret in `path`.
    public static func publicKey(at path: String) throws -> String {
        do { return try FastdPublicKey.derive(fromSecretHex: try secretHex(at: path)) } catch let error as FastdSecretFileError { throw error } catch {
            throw FastdSecretFileError("\(path) holds a fastd secret gwsetup cannot derive a public key from")
        }
    }

    /// `desired` with each named secret file made absolute (relative to the site file) and its public key as the one
    /// the gateway must hold; a file that is unreadable, no secret, or disagrees with the site's pin is a site error.
    static func resolve(_ desired: DesiredState, gateway: Gateway, in pipeline: SitePipeline) throws -> DesiredState {
        var resolved = desired
        let index = pipeline.site.gateways.firstIndex { $0.name == gateway.name } ?? 0
        var errors: [SiteError] = []
        for (position, key) in desired.fastdKeys.enumerated() {
            guard let named = key.secretFile else { continue }
            let location = pipeline.loaded.locations["gateways.\(index).addresses.\(key.instance).fastd_secret_file"]
            let path = named.hasPrefix("/") ? named : URL(fileURLWithPath: pipeline.sitePath).deletingLastPathComponent().appendingPathComponent(named).path
            do {
                let derived = try publicKey(at: path)
                if let pinned = key.publicKey, pinned != derived {
                    throw FastdSecretFileError("the secret in \(path) has public key \(derived), but the site pins \(pinned) for \(gateway.name) in domain \(key.instance)")
                }
                resolved.fastdKeys[position].publicKey = derived
                resolved.fastdKeys[position].secretFile = path
            } catch let error as FastdSecretFileError {
                errors.append(SiteError(error.message, at: location))
            }
        }
        if !errors.isEmpty { throw SiteErrors(errors: errors) }
        return resolved
    }
}

/// What is wrong with a secret file, in words that never contain the secret.
public struct FastdSecretFileError: Error, Sendable, CustomStringConvertible {
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}
