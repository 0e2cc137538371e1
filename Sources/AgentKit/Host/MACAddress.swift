/// A MAC address as batctl and sysfs print it (`aa:bb:cc:dd:ee:ff`); anything else is refused.
public struct MACAddress: Sendable, Hashable, Comparable, CustomStringConvertible, Decodable {
    public let description: String

    public init?(_ text: String) {
        let lowered = text.lowercased()
        let parts = lowered.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isHexDigit) }) else { return nil }
        description = lowered
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = MACAddress(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a MAC address"))
        }
        self = parsed
    }

    /// The MAC without colons: respondd's node_id.
    public var compact: String { description.filter { $0 != ":" } }

    public static func < (a: MACAddress, b: MACAddress) -> Bool { a.description < b.description }
}
