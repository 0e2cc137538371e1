import Crypto
import Foundation

/// fastd's public key of a secret, computed on the admin's machine so plan can compare a secret file with the site's pin.
///
/// fastd (libuecc) writes a key as the x coordinate of the point on the Edwards curve ax² + y² = 1 + dx²y²
/// (a = 486664, d = 486660, Curve25519's direct Edwards form) with y's parity in the top bit. X25519 gives the
/// Montgomery u of the same point, which fixes y but not x's sign; a second X25519 with the scalar plus 8 tells
/// the sign apart. The secret only ever enters swift-crypto; this file sees public values.
public enum FastdPublicKey {
    public enum Failure: Error, Equatable {
        /// Not 64 hex digits (or `secret "…";` around them).
        case notASecret
        /// A scalar whose neighbour overflows the clamp; one in 2^251, not worth a second code path.
        case unsupportedScalar
    }

    /// The 64-hex public key fastd shows (`fastd --show-key`) for `secretHex`.
    public static func derive(fromSecretHex secretHex: String) throws(Failure) -> String {
        guard let bytes = hexBytes(secretHex), bytes.count == 32 else { throw .notASecret }
        var scalar = bytes
        // fastd's sanitising, which X25519 repeats: a multiple of 8 with bit 254 set.
        scalar[0] &= 0xf8
        scalar[31] &= 0x7f
        scalar[31] |= 0x40
        guard let next = plusEight(scalar), next[31] & 0x80 == 0 else { throw .unsupportedScalar }
        let u = try montgomeryU(scalar)
        let uNext = try montgomeryU(next)
        let y = (u - .one) * (u + .one).inverse
        guard let v = (u * u * u + Field25519(486662) * u * u + u).squareRoot else { throw .unsupportedScalar }
        var x = u * v.inverse
        // P + 8B must have the u that scalar + 8 gave; if not, the point is −P.
        if montgomeryU(ofEdwards: add((x, y), eightTimesBase)) != uNext { x = -x }
        var packed = x.littleEndianBytes
        if y.isOdd { packed[31] |= 0x80 }
        return packed.map { String(format: "%02x", $0) }.joined()
    }

    /// The secret's 64 hex digits from a fastd secret file: `secret "HEX";` (what fastd reads) or the bare digits.
    public static func secretHex(inFile text: String) -> String? {
        var body = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if body.hasPrefix("secret") {
            body = String(body.dropFirst("secret".count)).trimmingCharacters(in: .whitespaces)
            guard body.hasPrefix("\""), body.hasSuffix("\";"), body.count == 64 + 3 else { return nil }
            body = String(body.dropFirst().dropLast(2))
        }
        return body.count == 64 && body.allSatisfy(\.isHexDigit) ? body.lowercased() : nil
    }

    private static let curveA = Field25519(486664)
    private static let curveD = Field25519(486660)
    private static let eightTimesBase = (
        Field25519(limbs: [0x0517_5f99_c60a_3cee, 0x9a94_819b_6e37_2a16, 0x2274_b366_381d_9c04, 0x6b5c_3995_81dd_f3ac]),
        Field25519(limbs: [0x1e2f_5ba9_fc37_b9b4, 0x8178_3cfc_621e_e493, 0x6ead_6f09_668a_f38f, 0x21d3_0600_c9e5_7379]))

    private static func montgomeryU(_ scalar: [UInt8]) throws(Failure) -> Field25519 {
        guard let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: scalar) else { throw .notASecret }
        return Field25519(littleEndian: [UInt8](key.publicKey.rawRepresentation))
    }

    private static func montgomeryU(ofEdwards point: (Field25519, Field25519)) -> Field25519 {
        (Field25519.one + point.1) * (Field25519.one - point.1).inverse
    }

    private static func add(_ p: (Field25519, Field25519), _ q: (Field25519, Field25519)) -> (Field25519, Field25519) {
        let t = curveD * p.0 * q.0 * p.1 * q.1
        return ((p.0 * q.1 + p.1 * q.0) * (Field25519.one + t).inverse, (p.1 * q.1 - curveA * p.0 * q.0) * (Field25519.one - t).inverse)
    }

    private static func plusEight(_ scalar: [UInt8]) -> [UInt8]? {
        var out = scalar
        var carry = 8
        for index in out.indices where carry > 0 {
            let sum = Int(out[index]) + carry
            out[index] = UInt8(sum & 0xff)
            carry = sum >> 8
        }
        return carry == 0 ? out : nil
    }

    private static func hexBytes(_ text: String) -> [UInt8]? {
        guard text.count == 64, text.allSatisfy(\.isHexDigit) else { return nil }
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}
