/// An IPv4 address as a 32-bit number, so prefixes and ranges are plain arithmetic.
public struct IPv4Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let value: UInt32

    public init(value: UInt32) { self.value = value }

    /// Parses dotted-quad text; rejects leading zeros and out-of-range octets, as iproute2 does.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCIIDigit),
                  !(part.count > 1 && part.first == "0"),
                  let octet = UInt32(part), octet <= 255 else { return nil }
            value = value << 8 | octet
        }
        self.value = value
    }

    public var description: String {
        "\(value >> 24).\(value >> 16 & 0xff).\(value >> 8 & 0xff).\(value & 0xff)"
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }

    /// The address `offset` places further on, or nil past the end of the address space.
    public func advanced(by offset: Int64) -> IPv4Address? {
        let next = Int64(value) + offset
        guard next >= 0, next <= Int64(UInt32.max) else { return nil }
        return IPv4Address(value: UInt32(next))
    }
}

extension Character {
    /// ASCII-only digit test: Character.isNumber accepts other scripts' digits, which no address allows.
    public var isASCIIDigit: Bool { ("0"..."9").contains(self) }
    public var isASCIIHexDigit: Bool { isASCIIDigit || ("a"..."f").contains(self) || ("A"..."F").contains(self) }
}
