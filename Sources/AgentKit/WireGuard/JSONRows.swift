#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// iproute2's `-j` output read one object at a time: a row of an unexpected shape is nil on its own rather than
/// failing the whole listing, and only the string fields the glue compares are kept.
struct JSONRows {
    struct Row: Decodable {
        private var strings: [String: String] = [:]
        private var keys: Set<String> = []

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnyKey.self)
            for key in container.allKeys {
                keys.insert(key.stringValue)
                if let text = try? container.decode(String.self, forKey: key) { strings[key.stringValue] = text }
            }
        }

        func string(_ key: String) -> String? { strings[key] }
        func has(_ key: String) -> Bool { keys.contains(key) }
    }

    private struct Lenient: Decodable {
        var row: Row?
        init(from decoder: any Decoder) throws { row = try? Row(from: decoder) }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// The rows of a JSON array (an empty answer is an empty array: some tools print nothing when there is nothing);
    /// nil when the text is not an array.
    static func decode(_ text: String) -> [Row?]? {
        if text.allSatisfy(\.isWhitespace) { return [] }
        return (try? JSONDecoder().decode([Lenient].self, from: Data(text.utf8)))?.map(\.row)
    }
}
