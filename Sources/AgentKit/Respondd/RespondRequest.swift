/// What a respondd query asks for: `GET a b c` (compressed, wrapped in one object) or one bare name (plain, legacy).
public struct RespondRequest: Sendable, Equatable {
    /// The sections a gateway can answer.
    public enum Section: String, Sendable, CaseIterable, Comparable {
        case nodeinfo, statistics, neighbours
        public static func < (a: Section, b: Section) -> Bool { a.rawValue < b.rawValue }
    }

    public let sections: [Section]
    /// `GET` queries get raw-deflate JSON keyed by section; a bare name gets that section's JSON as it is.
    public let compressed: Bool

    /// Longest query accepted; real ones are under 40 bytes.
    public static let maximumLength = 256

    /// Parses one datagram; nil for anything that is not a well-formed query (unknown names are skipped, as respondd does).
    public init?(datagram: [UInt8]) {
        guard !datagram.isEmpty, datagram.count <= Self.maximumLength,
              datagram.allSatisfy({ $0 == 0x20 || (0x61...0x7a).contains($0) || (0x41...0x5a).contains($0) || $0 == 0x0a || $0 == 0x0d || $0 == 0x5f }),
              let text = String(validating: datagram, as: UTF8.self)
        else { return nil }
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" }).map(String.init)
        guard let first = words.first else { return nil }
        if first == "GET" {
            var seen: [Section] = []
            for word in words.dropFirst() {
                if let section = Section(rawValue: word), !seen.contains(section) { seen.append(section) }
            }
            guard !seen.isEmpty else { return nil }
            sections = seen
            compressed = true
        } else {
            guard words.count == 1, let section = Section(rawValue: first) else { return nil }
            sections = [section]
            compressed = false
        }
    }
}
