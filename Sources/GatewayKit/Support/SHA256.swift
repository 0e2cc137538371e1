import Crypto
import Foundation

/// SHA-256 as `sha256sum` prints it (lower-case hex), so plans compare file contents with what the host reports;
/// swift-crypto computes the digest, this only spells it.
public enum SHA256Digest {
    /// Lower-case hex digest of `bytes`.
    public static func hex<Bytes: DataProtocol>(_ bytes: Bytes) -> String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    public static func hex(_ text: String) -> String { hex(Data(text.utf8)) }
}
