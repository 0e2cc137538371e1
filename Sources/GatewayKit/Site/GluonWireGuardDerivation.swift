import Crypto
import Foundation
import GatewayBase

/// What a Gluon node derives on its own and the gateway must derive the same way: the node's link address from its
/// public key (gluon_wireguard.sh) and the domain's VXLAN ID from its seed (`domain_seed_bytes("gluon-mesh-vxlan", 3)`).
public enum GluonWireGuardDerivation {
    /// `fe80::02XX:XXff:feXX:XXXX`: a MAC of `02` and the first five bytes of md5(key text), as EUI-64 (the `02` kept as
    /// written, not flipped).
    public static func nodeLinkAddress(_ key: WireGuardPublicKey) -> IPv6Address {
        let digest = Array(Insecure.MD5.hash(data: Data(key.base64.utf8)))
        let mac: [UInt8] = [0x02] + digest[0..<5]
        let bytes: [UInt8] = [mac[0], mac[1], mac[2], 0xff, 0xfe, mac[3], mac[4], mac[5]]
        let low = bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return IPv6Address(high: 0xfe80_0000_0000_0000, low: low)
    }

    /// The VNI for a domain seed (64 hex digits): the first three bytes of Gluon's seeded md5 chain.
    public static func vxlanID(domainSeed: String) -> Int {
        let hex = seedBytes(key: "gluon-mesh-vxlan", seed: domainSeed, length: 3)
        return Int(hex, radix: 16)!
    }

    /// Gluon's `domain_seed_bytes(key, length)`: md5 hex digests chained over the previous digest, the key, the seed in
    /// lower case and a counter from 1, cut to `length` bytes of hex.
    static func seedBytes(key: String, seed: String, length: Int) -> String {
        var result = ""
        var previous = ""
        var counter = 0
        while result.count < 2 * length {
            counter += 1
            previous = Insecure.MD5.hash(data: Data((previous + key + seed.lowercased() + String(counter)).utf8))
                .map { String(format: "%02x", $0) }.joined()
            result += previous
        }
        return String(result.prefix(2 * length))
    }
}
