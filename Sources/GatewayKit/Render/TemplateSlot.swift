/// One `{{value}}` of a template and the kind of place it sits in, read with the file's own lexical rules.
struct TemplateSlot: Sendable, Equatable {
    /// Where in the file's syntax a value lands; each place has its own escaping.
    enum Place: Sendable, Equatable {
        case comment
        case quoted(Character)
        case bare
    }

    /// The tag's name (`bridge`, `.`).
    let name: String
    /// Sections open around the tag, outermost first; `.` means the innermost one's items.
    let sections: [String]
    let line: Int
    let place: Place
    /// Where the tag's `{{` starts in the template text, so the renderer can mark each tag's escaping.
    let start: String.Index
    /// Nothing follows the tag on its line, so a trailing backslash in the value would end the line.
    let endsLine: Bool

    /// Every variable tag of `text` with its place; unescaped tags (`{{{x}}}`, `{{&x}}`) are refused,
    /// since they would write a value around the escaping.
    static func scan(_ text: String, syntax: FileSyntax, path: String) throws -> [TemplateSlot] {
        var slots: [TemplateSlot] = []
        var sections: [String] = []
        var line = 1
        var lineIsBlank = true
        var inComment = false
        var quote: Character? = nil
        var escaped = false
        var previous: Character = "\n"
        var index = text.startIndex
        while index < text.endIndex {
            if text[index...].hasPrefix("{{") {
                let tagStart = text.index(index, offsetBy: 2)
                guard let close = text[tagStart...].range(of: "}}") else {
                    throw RenderError("\(path):\(line): '{{' is never closed")
                }
                let end = close.upperBound
                let raw = text[tagStart..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                if raw.hasPrefix("{") || raw.hasPrefix("&") {
                    let name = raw.dropFirst().trimmingCharacters(in: .whitespaces)
                    let written = raw.hasPrefix("{") ? "{{{\(name)}}}" : "{{&\(name)}}"
                    throw RenderError("\(path):\(line): '\(written)' writes a value unescaped; use '{{\(name)}}' so it is escaped for \(syntax.displayName)")
                }
                if raw.hasPrefix("=") {
                    throw RenderError("\(path):\(line): '{{\(raw)}}' changes the tag delimiters, which would hide tags from gwsetup's escaping; keep '{{' and '}}'")
                }
                let sigil = raw.first.map { "#^/!%>=<$".contains($0) ? $0 : " " } ?? " "
                let name = sigil == " " ? raw : raw.dropFirst().trimmingCharacters(in: .whitespaces)
                switch sigil {
                case "#", "^": sections.append(name)
                case "/": _ = sections.popLast()
                case " ":
                    let place: Place = inComment ? .comment : quote.map(Place.quoted) ?? .bare
                    slots.append(TemplateSlot(name: name, sections: sections, line: line, place: place, start: index,
                                               endsLine: end == text.endIndex || text[end] == "\n"))
                    lineIsBlank = false
                    previous = "x"
                default: break
                }
                line += text[index..<end].filter { $0 == "\n" }.count
                index = end
                continue
            }
            let character = text[index]
            if character == "\n" {
                line += 1
                lineIsBlank = true
                inComment = false
                if !syntax.quotesSpanLines { quote = nil }
                escaped = false
            } else if inComment {
                // A comment runs to the end of the line, whatever it holds.
            } else if let open = quote {
                if escaped {
                    escaped = false
                } else if character == "\\", syntax.backslashEscapesInQuotes {
                    escaped = true
                } else if character == open {
                    quote = nil
                }
            } else if syntax.commentLeaders.contains(character), lineIsBlank || (syntax.hasInlineComments && character == "#" && previous.isWhitespace) {
                inComment = true
            } else if syntax.quotes.contains(character) {
                quote = character
            }
            if character != "\n", !character.isWhitespace { lineIsBlank = false }
            previous = character
            index = text.index(after: index)
        }
        return slots
    }
}
