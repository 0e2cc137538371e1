import Foundation

/// The public half of a gateway's tinc 1.0 host key: an RSA key in PKCS#1 DER, written in the site as its base64 on one
/// line, as apply prints it (the body of the PEM block tincd writes). Parsed down to its two integers, so nothing but
/// checked base64 ever reaches a host file.
public struct TincPublicKey: Sendable, Equatable {
    /// The DER's base64 on one line, as apply prints it and the site holds it.
    public let base64: String
    /// The modulus size in bits.
    public let bits: Int

    static let pemHeader = "-----BEGIN RSA PUBLIC KEY-----"
    static let pemFooter = "-----END RSA PUBLIC KEY-----"
    /// tinc 1.0 generates 2048 bits by default; anything shorter is refused, anything longer than 8192 too.
    static let bitRange = 2048...8192

    /// nil for anything but one RSA public key of an accepted size; ``defect(in:)`` says why.
    public init?(_ text: String) {
        guard case .success(let key) = Self.parse(text) else { return nil }
        self = key
    }

    private init(base64: String, bits: Int) {
        self.base64 = base64
        self.bits = bits
    }

    /// Why `text` is not a tinc public key, as a phrase; nil when it is one.
    public static func defect(in text: String) -> String? {
        if case .failure(let defect) = parse(text) { return defect.reason }
        return nil
    }

    /// The PEM block tinc reads from a host file: the header, 64 base64 characters a line, the footer.
    public var pemLines: [String] {
        var lines = [Self.pemHeader]
        var rest = Substring(base64)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(64)))
            rest = rest.dropFirst(64)
        }
        lines.append(Self.pemFooter)
        return lines
    }

    struct Defect: Error { let reason: String }

    private static func parse(_ text: String) -> Result<TincPublicKey, Defect> {
        let body = text
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        let unpadded = body.reversed().drop(while: { $0 == "=" })
        guard !body.isEmpty, body.count % 4 == 0, body.count - unpadded.count <= 2, unpadded.allSatisfy(alphabet.contains) else {
            return .failure(Defect(reason: "is not base64 (letters, digits, '+', '/', '=' padding, a multiple of 4 characters)"))
        }
        guard body.count <= 2048, let der = Data(base64Encoded: body), der.base64EncodedString() == body else {
            return .failure(Defect(reason: "is not base64 of an RSA public key"))
        }
        guard let (modulus, exponent) = rsaIntegers(Array(der)) else {
            return .failure(Defect(reason: "is not an RSA public key (PKCS#1 DER: a SEQUENCE of modulus and exponent, as tincd -K writes)"))
        }
        let bits = (modulus.count - 1) * 8 + (8 - modulus[0].leadingZeroBitCount)
        guard bitRange.contains(bits) else {
            return .failure(Defect(reason: "is an RSA key of \(bits) bits; tinc host keys here have \(bitRange.lowerBound) to \(bitRange.upperBound)"))
        }
        guard exponent.last.map({ $0 & 1 == 1 }) == true, exponent.count > 1 || exponent[0] >= 3 else {
            return .failure(Defect(reason: "has an RSA exponent that no key generator makes"))
        }
        return .success(TincPublicKey(base64: body, bits: bits))
    }

    /// The modulus and exponent without sign bytes, or nil unless `der` is exactly SEQUENCE { INTEGER, INTEGER } of
    /// positive integers in minimal DER.
    private static func rsaIntegers(_ der: [UInt8]) -> ([UInt8], [UInt8])? {
        var position = 0
        func element(tag: UInt8) -> ArraySlice<UInt8>? {
            guard position + 2 <= der.count, der[position] == tag else { return nil }
            var length = Int(der[position + 1])
            position += 2
            if length & 0x80 != 0 {
                let count = length & 0x7F
                guard (1...2).contains(count), position + count <= der.count, der[position] != 0 else { return nil }
                length = der[position..<(position + count)].reduce(0) { $0 << 8 | Int($1) }
                guard length >= 0x80 else { return nil }
                position += count
            }
            guard position + length <= der.count else { return nil }
            defer { position += length }
            return der[position..<(position + length)]
        }
        func positiveInteger() -> [UInt8]? {
            guard let bytes = element(tag: 0x02), let first = bytes.first, first & 0x80 == 0 else { return nil }
            if first == 0 {
                guard bytes.count > 1, bytes[bytes.startIndex + 1] & 0x80 != 0 else { return nil }
                return Array(bytes.dropFirst())
            }
            return Array(bytes)
        }
        guard let sequence = element(tag: 0x30), position == der.count else { return nil }
        position = sequence.startIndex
        guard let modulus = positiveInteger(), let exponent = positiveInteger(), position == sequence.endIndex else { return nil }
        return (modulus, exponent)
    }
}
