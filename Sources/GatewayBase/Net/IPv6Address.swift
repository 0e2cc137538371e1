/// An IPv6 address as two 64-bit halves, so /64 prefixes and interface identifiers are simple.
public struct IPv6Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let high: UInt64
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Parses RFC 4291 text: `::` compression and an embedded dotted IPv4 tail.
    public init?(_ text: some StringProtocol) {
        var text = Substring(text)
        guard !text.isEmpty, !text.contains("%") else { return nil }
        var tail: [UInt16] = []
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard let v4 = IPv4Address(text[text.index(after: lastColon)...]) else { return nil }
            tail = [UInt16(v4.value >> 16), UInt16(v4.value & 0xffff)]
            text = text[...lastColon]
            if text.hasSuffix(":") && !text.hasSuffix("::") { text = text.dropLast() }
        }
        let halves = text.split(separator: "::", omittingEmptySubsequences: false).map(String.init)
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(group.count), group.allSatisfy(\.isASCIIHexDigit),
                      let number = UInt16(group, radix: 16) else { return nil }
                result.append(number)
            }
            return result
        }
        var words: [UInt16]
        if halves.count == 2 {
            guard let head = groups(halves[0]), let rest = groups(halves[1]) else { return nil }
            let missing = 8 - head.count - rest.count - tail.count
            guard missing >= 1 else { return nil }
            words = head + Array(repeating: 0, count: missing) + rest + tail
        } else {
            guard let all = groups(halves[0]) else { return nil }
            words = all + tail
        }
        guard words.count == 8 else { return nil }
        high = words[0..<4].reduce(0) { $0 << 16 | UInt64($1) }
        low = words[4..<8].reduce(0) { $0 << 16 | UInt64($1) }
    }

    /// The eight 16-bit groups, most significant first.
    public var words: [UInt16] {
        (0..<4).map { UInt16(truncatingIfNeeded: high >> (48 - 16 * UInt64($0))) }
            + (0..<4).map { UInt16(truncatingIfNeeded: low >> (48 - 16 * UInt64($0))) }
    }

    /// RFC 5952 canonical text, so rendered configs and comparisons agree on one spelling.
    public var description: String {
        let words = self.words
        var bestStart = -1, bestLength = 0, index = 0
        while index < 8 {
            if words[index] == 0 {
                var end = index
                while end < 8 && words[end] == 0 { end += 1 }
                if end - index > bestLength && end - index >= 2 { bestStart = index; bestLength = end - index }
                index = end
            } else {
                index += 1
            }
        }
        func hex(_ range: Range<Int>) -> String {
            words[range].map { String($0, radix: 16) }.joined(separator: ":")
        }
        guard bestStart >= 0 else { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}
