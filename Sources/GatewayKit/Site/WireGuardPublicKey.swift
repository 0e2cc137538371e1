import Foundation

/// A WireGuard public key: 32 bytes in base64 (44 characters ending in `=`), checked by decoding and encoding again, so
/// nothing else reaches a netdev file.
public struct WireGuardPublicKey: Sendable, Equatable, CustomStringConvertible {
    public let base64: String

    public init?(_ text: String) {
        guard text.utf8.count == 44, text.hasSuffix("="), !text.hasSuffix("=="),
              text.dropLast().allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "/") }),
              let bytes = Data(base64Encoded: text), bytes.count == 32,
              // The canonical spelling only: wg and networkd refuse a last character whose two spare bits are set.
              bytes.base64EncodedString() == text else { return nil }
        base64 = text
    }

    public var description: String { base64 }
}
