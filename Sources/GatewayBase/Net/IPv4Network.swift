/// An IPv4 prefix; strict parsing refuses host bits so a typo in a site file is caught, not masked.
public struct IPv4Network: Hashable, Sendable, CustomStringConvertible {
    public let address: IPv4Address
    public let prefixLength: Int

    public init?(address: IPv4Address, prefixLength: Int, strict: Bool = true) {
        guard (0...32).contains(prefixLength) else { return nil }
        let mask = Self.mask(prefixLength)
        if strict && address.value & ~mask != 0 { return nil }
        self.address = IPv4Address(value: address.value & mask)
        self.prefixLength = prefixLength
    }

    /// `a.b.c.d/n`, or a bare address as /32 (iptables-save writes both).
    public init?(_ text: some StringProtocol, strict: Bool = true) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPv4Address(parts[0]) else { return nil }
        var length = 32
        if parts.count == 2 {
            if let number = Int(parts[1]), parts[1].allSatisfy(\.isASCIIDigit) {
                length = number
            } else if let mask = IPv4Address(parts[1]), let fromMask = Self.prefixLength(ofMask: mask.value) {
                length = fromMask
            } else {
                return nil
            }
        }
        self.init(address: address, prefixLength: length, strict: strict)
    }

    static func mask(_ length: Int) -> UInt32 { length == 0 ? 0 : UInt32.max << (32 - UInt32(length)) }

    static func prefixLength(ofMask mask: UInt32) -> Int? {
        let length = mask.nonzeroBitCount
        return Self.mask(length) == mask ? length : nil
    }

    public var netmask: IPv4Address { IPv4Address(value: Self.mask(prefixLength)) }
    public var first: IPv4Address { address }
    public var last: IPv4Address { IPv4Address(value: address.value | ~Self.mask(prefixLength)) }
    public var size: UInt64 { UInt64(1) << UInt64(32 - prefixLength) }

    public func contains(_ candidate: IPv4Address) -> Bool {
        candidate.value & Self.mask(prefixLength) == address.value
    }

    public func overlaps(_ other: IPv4Network) -> Bool {
        contains(other.address) || other.contains(address)
    }

    public var description: String { "\(address)/\(prefixLength)" }
}
