import CYaml
import GatewayBase

/// One `# PLACEHOLDER: why` comment left in a site file: an answer `gluon import` could not give.
public struct SitePlaceholder: Sendable, Equatable, CustomStringConvertible {
    public let location: SourceLocation
    /// The key the marker sits beside (`gateways.0.uplink`), or the first key after a marker on a line of its own.
    public let key: String
    public let why: String

    /// `site.yaml:12:17: placeholder: gateways.0.uplink: the gateway's WAN interface`.
    public var description: String {
        "\(location): placeholder: \(key.isEmpty ? "(no key)" : Echo.inline(key))" + (why.isEmpty ? "" : ": " + Echo.inline(why, limit: 200))
    }
}

/// A site that still holds placeholders: unfinished work that plan and apply refuse, one line per marker.
public struct SitePlaceholderError: Error, Sendable, CustomStringConvertible {
    public let placeholders: [SitePlaceholder]
    public var description: String { placeholders.map(\.description).joined(separator: "\n") }
}

/// Finds the `# PLACEHOLDER` comments `gwsetup gluon import` writes, on the raw text: YAML parsers drop comments.
///
/// A `#` is a comment only where libyaml's own scanner says no token covers it and it starts a line or follows a
/// blank, so a `#` inside a quoted, plain or block scalar (or a tag) is never taken for one.
public enum SitePlaceholders {
    /// Placeholders in the file at `path`; an unreadable file or broken YAML gives none (loading reports those).
    public static func scan(path: String) -> [SitePlaceholder] {
        guard let data = try? FileAccess.data(at: path), let text = String(data: data, encoding: .utf8) else { return [] }
        return scan(yaml: text, file: path)
    }

    /// Throws every placeholder of the site at `path` as one ``SitePlaceholderError``.
    public static func refuse(path: String) throws {
        let found = scan(path: path)
        if !found.isEmpty { throw SitePlaceholderError(placeholders: found) }
    }

    public static func scan(yaml raw: String, file: String) -> [SitePlaceholder] {
        let text = raw.unicodeScalars.first == "\u{FEFF}" ? String(raw.unicodeScalars.dropFirst()) : raw
        let markers = commentMarkers(in: text)
        guard !markers.isEmpty, let covered = tokenSpans(text) else { return [] }
        let comments = markers.filter { !covered.contains($0.position) }
        guard !comments.isEmpty else { return [] }
        guard let keys = keyPositions(text) else { return [] }
        return comments.map { marker in
            let sameLine = keys.last { $0.position.line == marker.position.line && $0.position.column < marker.position.column }
            let key = sameLine ?? keys.first { $0.position.line > marker.position.line }
            return SitePlaceholder(location: SourceLocation(file: file, line: marker.position.line + 1, column: marker.position.column + 1),
                                   key: key?.path ?? "", why: marker.why)
        }
    }

    /// A place in the text as libyaml counts it: line and column from 0, columns in Unicode scalars.
    struct Position: Comparable {
        var line: Int
        var column: Int
        static func < (a: Position, b: Position) -> Bool { (a.line, a.column) < (b.line, b.column) }
    }

    struct Marker {
        var position: Position
        var why: String
    }

    /// Every `#` that YAML could read as a comment start and whose text begins with the word PLACEHOLDER.
    static func commentMarkers(in text: String) -> [Marker] {
        var markers: [Marker] = []
        var line = 0, column = 0
        var previous: Unicode.Scalar = "\n"
        var scalars = text.unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            if isBreak(scalar) {
                if scalar == "\r", scalars.first == "\n" { scalars.removeFirst() }
                line += 1
                column = 0
                previous = "\n"
                continue
            }
            if scalar == "#", column == 0 || previous == " " || previous == "\t" {
                let rest = String(String.UnicodeScalarView(scalars.prefix { !isBreak($0) }))
                if let why = placeholderReason(rest) { markers.append(Marker(position: Position(line: line, column: column), why: why)) }
            }
            previous = scalar
            column += 1
        }
        return markers
    }

    /// The reason after `PLACEHOLDER:` (empty for a bare `PLACEHOLDER`); nil for any other comment.
    static func placeholderReason(_ comment: String) -> String? {
        let body = comment.drop { $0 == " " || $0 == "\t" }
        guard body.hasPrefix("PLACEHOLDER") else { return nil }
        let after = body.dropFirst("PLACEHOLDER".count)
        if after.isEmpty || after.first == " " || after.first == "\t" { return String(after.drop { $0 == " " || $0 == "\t" }) }
        guard after.first == ":" else { return nil }
        return String(after.dropFirst().drop { $0 == " " || $0 == "\t" }).trimmingSuffixBlanks()
    }

    /// libyaml's line breaks: LF, CR, NEL and the Unicode line and paragraph separators.
    static func isBreak(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\n" || scalar == "\r" || scalar == "\u{85}" || scalar == "\u{2028}" || scalar == "\u{2029}"
    }

    /// The stretches of text some token covers, in order and apart; a block scalar covers its lines, not its header's.
    struct Spans {
        var spans: [(start: Position, end: Position)]
        /// Binary search: a hostile file may hold many markers and many tokens.
        func contains(_ position: Position) -> Bool {
            var low = 0, high = spans.count
            while low < high {
                let middle = (low + high) / 2
                if spans[middle].start <= position { low = middle + 1 } else { high = middle }
            }
            return low > 0 && position < spans[low - 1].end
        }
    }

    /// nil when libyaml cannot scan the text: the loader reports that syntax error with its place.
    static func tokenSpans(_ text: String) -> Spans? {
        LibYAMLParser.with(text) { parser -> Spans? in
            var spans: [(start: Position, end: Position)] = []
            var token = yaml_token_t()
            while true {
                guard yaml_parser_scan(&parser, &token) == 1 else { return nil }
                let type = token.type
                var start = Position(line: Int(token.start_mark.line), column: Int(token.start_mark.column))
                let end = Position(line: Int(token.end_mark.line), column: Int(token.end_mark.column))
                if type == YAML_SCALAR_TOKEN,
                   token.data.scalar.style == YAML_LITERAL_SCALAR_STYLE || token.data.scalar.style == YAML_FOLDED_SCALAR_STYLE {
                    start = Position(line: start.line + 1, column: 0)
                }
                yaml_token_delete(&token)
                if type == YAML_STREAM_END_TOKEN || type == YAML_NO_TOKEN { break }
                if start < end { spans.append((start, end)) }
            }
            return Spans(spans: spans)
        }
    }

    struct KeyPosition {
        var position: Position
        var path: String
    }

    /// Every mapping key with its dotted path (`gateways.0.uplink`), read from parser events so aliases are never
    /// expanded; nil when the text does not parse (the loader reports where).
    static func keyPositions(_ text: String) -> [KeyPosition]? {
        LibYAMLParser.with(text) { parser -> [KeyPosition]? in
            /// One open collection: its path, and for a mapping whether the next node is a key; for a sequence its next index.
            struct Open { var path: String; var isMapping: Bool; var nextIsKey = true; var currentKey = ""; var index = 0 }
            var open: [Open] = []
            var keys: [KeyPosition] = []
            var event = yaml_event_t()
            func join(_ path: String, _ part: String) -> String { path.isEmpty ? part : path + "." + part }
            /// The path of the node that starts now, advancing its parent past it.
            func childPath() -> String? {
                guard let parent = open.last else { return "" }
                if parent.isMapping {
                    defer { open[open.count - 1].nextIsKey.toggle() }
                    return parent.nextIsKey ? nil : join(parent.path, parent.currentKey)
                }
                defer { open[open.count - 1].index += 1 }
                return join(parent.path, String(parent.index))
            }
            while yaml_parser_parse(&parser, &event) == 1 {
                let type = event.type
                let mark = Position(line: Int(event.start_mark.line), column: Int(event.start_mark.column))
                var value = ""
                if type == YAML_SCALAR_EVENT, let pointer = event.data.scalar.value {
                    value = String(decoding: UnsafeBufferPointer(start: pointer, count: Int(event.data.scalar.length)), as: UTF8.self)
                }
                yaml_event_delete(&event)
                switch type {
                case YAML_STREAM_END_EVENT:
                    return keys
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    _ = open.popLast()
                case YAML_SCALAR_EVENT, YAML_ALIAS_EVENT:
                    if let parent = open.last, parent.isMapping, parent.nextIsKey {
                        open[open.count - 1].currentKey = value
                        keys.append(KeyPosition(position: mark, path: join(parent.path, value)))
                    }
                    _ = childPath()
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    // A collection as a key has no name to give; it is still a node its parent counts.
                    let path = childPath() ?? (open.last?.path ?? "")
                    open.append(Open(path: path, isMapping: type == YAML_MAPPING_START_EVENT))
                default:
                    break
                }
            }
            return nil
        }
    }
}

private extension String {
    func trimmingSuffixBlanks() -> String {
        var text = self
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}
