/// Arithmetic modulo 2^255 − 19 on four little-endian 64-bit limbs: just enough to turn an X25519 result into fastd's key format.
///
/// Only public values (X25519 outputs and curve constants) pass through here; the secret scalar stays inside swift-crypto.
struct Field25519: Equatable, Sendable {
    var limbs: [UInt64]

    static let zero = Field25519(limbs: [0, 0, 0, 0])
    static let one = Field25519(limbs: [1, 0, 0, 0])
    static let prime = Field25519(limbs: [0xffff_ffff_ffff_ffed, .max, .max, 0x7fff_ffff_ffff_ffff])

    init(limbs: [UInt64]) { self.limbs = limbs }

    init(_ small: UInt64) { limbs = [small, 0, 0, 0] }

    /// 32 little-endian bytes, as X25519 and fastd write numbers.
    init(littleEndian bytes: [UInt8]) {
        precondition(bytes.count == 32)
        limbs = (0..<4).map { limb in (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[limb * 8 + $1]) << (8 * UInt64($1)) } }
    }

    /// The canonical value (below the prime) as 32 little-endian bytes.
    var littleEndianBytes: [UInt8] {
        reduced.limbs.flatMap { limb in (0..<8).map { UInt8(truncatingIfNeeded: limb >> (8 * UInt64($0))) } }
    }

    var isOdd: Bool { reduced.limbs[0] & 1 == 1 }

    /// The representative below the prime; limbs always hold less than 2^256 < 3p.
    var reduced: Field25519 {
        var value = self
        while !Self.less(value.limbs, Self.prime.limbs) { value.limbs = Self.subtract(value.limbs, Self.prime.limbs).value }
        return value
    }

    static func + (lhs: Field25519, rhs: Field25519) -> Field25519 {
        var (sum, carry) = add(lhs.limbs, rhs.limbs)
        // 2^256 ≡ 38 (mod p): fold the carry back in until none is left.
        while carry { (sum, carry) = add(sum, [38, 0, 0, 0]) }
        return Field25519(limbs: sum)
    }

    static func - (lhs: Field25519, rhs: Field25519) -> Field25519 {
        var (difference, borrow) = subtract(lhs.limbs, rhs.limbs)
        while borrow { (difference, borrow) = subtract(difference, [38, 0, 0, 0]) }
        return Field25519(limbs: difference)
    }

    static prefix func - (value: Field25519) -> Field25519 { zero - value }

    static func * (lhs: Field25519, rhs: Field25519) -> Field25519 {
        var wide = [UInt64](repeating: 0, count: 8)
        for i in 0..<4 {
            var carry: UInt64 = 0
            for j in 0..<4 {
                let (high, low) = lhs.limbs[i].multipliedFullWidth(by: rhs.limbs[j])
                let (sum1, overflow1) = low.addingReportingOverflow(wide[i + j])
                let (sum2, overflow2) = sum1.addingReportingOverflow(carry)
                wide[i + j] = sum2
                carry = high &+ (overflow1 ? 1 : 0) &+ (overflow2 ? 1 : 0)
            }
            wide[i + 4] = carry
        }
        // high × 2^256 ≡ high × 38.
        var folded = Array(wide[0..<4])
        var carry: UInt64 = 0
        for i in 0..<4 {
            let (high, low) = wide[i + 4].multipliedFullWidth(by: 38)
            let (sum1, overflow1) = folded[i].addingReportingOverflow(low)
            let (sum2, overflow2) = sum1.addingReportingOverflow(carry)
            folded[i] = sum2
            carry = high &+ (overflow1 ? 1 : 0) &+ (overflow2 ? 1 : 0)
        }
        // The carry out of the fold is at most 38, so carry × 38 fits one limb.
        return Field25519(limbs: folded) + Field25519(limbs: [carry * 38, 0, 0, 0])
    }

    func power(_ exponent: [UInt64]) -> Field25519 {
        var result = Field25519.one
        for limb in exponent.reversed() {
            for bit in (0..<64).reversed() {
                result = result * result
                if (limb >> UInt64(bit)) & 1 == 1 { result = result * self }
            }
        }
        return result
    }

    /// The multiplicative inverse, by Fermat: x^(p−2).
    var inverse: Field25519 { power([0xffff_ffff_ffff_ffeb, .max, .max, 0x7fff_ffff_ffff_ffff]) }

    /// A square root when one exists (p ≡ 5 mod 8: x^((p+3)/8), times √−1 when that squares to −x).
    var squareRoot: Field25519? {
        var root = power([0xffff_ffff_ffff_fffe, .max, .max, 0x0fff_ffff_ffff_ffff])
        if (root * root).reduced != reduced { root = root * Self.sqrtMinusOne }
        return (root * root).reduced == reduced ? root : nil
    }

    /// 2^((p−1)/4).
    static let sqrtMinusOne = Field25519(2).power([0xffff_ffff_ffff_fffb, .max, .max, 0x1fff_ffff_ffff_ffff])

    static func == (lhs: Field25519, rhs: Field25519) -> Bool { lhs.reduced.limbs == rhs.reduced.limbs }

    private static func add(_ a: [UInt64], _ b: [UInt64]) -> ([UInt64], Bool) {
        limbwise(a, b) { $0.addingReportingOverflow($1) }
    }

    private static func subtract(_ a: [UInt64], _ b: [UInt64]) -> (value: [UInt64], borrow: Bool) {
        limbwise(a, b) { $0.subtractingReportingOverflow($1) }
    }

    /// Adds or subtracts limb by limb, carrying (or borrowing) one into the next.
    private static func limbwise(_ a: [UInt64], _ b: [UInt64], _ step: (UInt64, UInt64) -> (partialValue: UInt64, overflow: Bool)) -> ([UInt64], Bool) {
        var out = a
        var carry = false
        for i in 0..<4 {
            let first = step(a[i], b[i])
            let second = step(first.partialValue, carry ? 1 : 0)
            out[i] = second.partialValue
            carry = first.overflow || second.overflow
        }
        return (out, carry)
    }

    private static func less(_ a: [UInt64], _ b: [UInt64]) -> Bool {
        for i in (0..<4).reversed() where a[i] != b[i] { return a[i] < b[i] }
        return false
    }
}
