/// An IPv6 prefix; strict parsing refuses host bits so a typo in a site file is caught, not masked.
public struct IPv6Network: Hashable, Sendable, CustomStringConvertible {
    public let address: IPv6Address
    public let prefixLength: Int

    public init?(address: IPv6Address, prefixLength: Int, strict: Bool = true) {
        guard (0...128).contains(prefixLength) else { return nil }
        let (highMask, lowMask) = Self.masks(prefixLength)
        if strict && (address.high & ~highMask != 0 || address.low & ~lowMask != 0) { return nil }
        self.address = IPv6Address(high: address.high & highMask, low: address.low & lowMask)
        self.prefixLength = prefixLength
    }

    /// `x::/n`, or a bare address as /128 (ip6tables-save writes both).
    public init?(_ text: some StringProtocol, strict: Bool = true) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPv6Address(parts[0]) else { return nil }
        var length = 128
        if parts.count == 2 {
            guard parts[1].allSatisfy(\.isASCIIDigit), let number = Int(parts[1]) else { return nil }
            length = number
        }
        self.init(address: address, prefixLength: length, strict: strict)
    }

    static func masks(_ length: Int) -> (UInt64, UInt64) {
        func mask(_ bits: Int) -> UInt64 { bits <= 0 ? 0 : bits >= 64 ? .max : UInt64.max << UInt64(64 - bits) }
        return (mask(length), mask(length - 64))
    }

    public func contains(_ candidate: IPv6Address) -> Bool {
        let (highMask, lowMask) = Self.masks(prefixLength)
        return candidate.high & highMask == address.high && candidate.low & lowMask == address.low
    }

    public func overlaps(_ other: IPv6Network) -> Bool {
        contains(other.address) || other.contains(address)
    }

    public var description: String { "\(address)/\(prefixLength)" }
}
