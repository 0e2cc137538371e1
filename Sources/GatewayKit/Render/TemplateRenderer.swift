import Foundation
import Mustache
import GatewayBase

/// Renders templates from contexts gwsetup prepares, escaping every value for the syntax of the file it lands in
/// and refusing names the context lacks, because Mustache would silently print nothing and a config with a hole is
/// worse than an error.
public struct TemplateRenderer: Sendable {
    public let store: TemplateStore
    private let cache = TemplateCache()

    public init(store: TemplateStore) { self.store = store }

    public func render(_ name: String, _ context: [String: any Sendable]) throws -> String {
        let entry = try cache.entry(name) {
            let (text, path) = try store.text(of: name)
            guard let syntax = FileSyntax(templateName: name) else {
                throw RenderError("\(path): gwsetup does not know the syntax of \(name), so it cannot escape values for it")
            }
            let slots = try TemplateSlot.scan(text, syntax: syntax, path: path)
            do {
                return TemplateCache.Entry(template: try MustacheTemplate(string: Self.marked(text, slots: slots, syntax: syntax)),
                                           text: text, path: path, syntax: syntax, slots: slots)
            } catch {
                throw RenderError("\(path): \(error)")
            }
        }
        try Self.checkNames(in: entry.text, path: entry.path, against: context)
        try Self.checkValues(entry.slots, syntax: entry.syntax, path: entry.path, against: context)
        return entry.template.render(context)
    }

    /// The template with each value tag preceded by the content type of its place; plain text elsewhere.
    static func marked(_ text: String, slots: [TemplateSlot], syntax: FileSyntax) -> String {
        _ = SlotContentType.registered
        var out = "{{%CONTENT_TYPE: TEXT}}"
        var rest = text.startIndex
        for slot in slots {
            out += text[rest..<slot.start]
            out += "{{%CONTENT_TYPE: \(SlotContentType.name(syntax, slot.place))}}"
            rest = slot.start
        }
        return out + text[rest...]
    }

    /// Refuses, before anything is rendered, a value that its place in the file cannot hold inertly.
    static func checkValues(_ slots: [TemplateSlot], syntax: FileSyntax, path: String, against context: [String: any Sendable]) throws {
        for slot in slots {
            let rule = syntax.rule(for: slot.place)
            for value in values(of: slot, in: context) {
                var refusal = rule.refusal(value)
                if refusal == nil, slot.endsLine, syntax.joinsLinesEndingInBackslash, rule.escape(value).hasSuffix("\\") {
                    refusal = "it ends in a backslash at the end of a line, which would join the next line to it"
                }
                if let reason = refusal {
                    let place = switch slot.place {
                    case .comment: "a comment"
                    case .quoted: "a quoted string"
                    case .bare: "a bare value"
                    }
                    throw RenderError("\(path):\(slot.line): {{\(slot.name)}} would write \(Echo.quoted(value)) as \(place) of \(syntax.displayName), but \(reason)")
                }
            }
        }
    }

    /// Every value a tag can print: all values under its name anywhere in the context (more than Mustache's lookup
    /// reaches, never less), or for `.` the items of the innermost section.
    static func values(of slot: TemplateSlot, in context: [String: any Sendable]) -> [String] {
        let key = slot.name == "." ? slot.sections.last : slot.name.split(separator: ".").last.map(String.init)
        guard let key else { return [] }
        var found: [String] = []
        func scalar(_ value: Any) -> String? {
            if value is [Any] || value is [String: Any] || value is Bool { return nil }
            return String(describing: value)
        }
        func collect(_ value: Any) {
            if let dictionary = value as? [String: Any] {
                for (name, nested) in dictionary {
                    if name == key {
                        if slot.name == ".", let items = nested as? [Any] {
                            found += items.compactMap(scalar)
                        } else if let text = scalar(nested) {
                            found.append(text)
                        }
                    }
                    collect(nested)
                }
            } else if let array = value as? [Any] {
                array.forEach(collect)
            }
        }
        collect(context)
        return found
    }

    /// Every `{{name}}` in the template must be a key somewhere in the context (or `.`); names inside a
    /// section whose list is empty or whose flag is false cannot be checked against values and are skipped.
    static func checkNames(in text: String, path: String, against context: [String: any Sendable]) throws {
        var known: Set<String> = ["."]
        var empty: Set<String> = []
        func collect(_ value: Any) {
            if let dictionary = value as? [String: any Sendable] {
                for (key, nested) in dictionary {
                    known.insert(key)
                    if let array = nested as? [Any], array.isEmpty { empty.insert(key) }
                    if let flag = nested as? Bool, !flag { empty.insert(key) }
                    collect(nested)
                }
            } else if let array = value as? [any Sendable] {
                array.forEach(collect)
            }
        }
        collect(context)
        var rest = Substring(text)
        var line = 1
        var sections: [String] = []
        while let open = rest.range(of: "{{") {
            line += rest[..<open.lowerBound].filter { $0 == "\n" }.count
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw RenderError("\(path):\(line): '{{' is never closed")
            }
            let raw = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            let sigil = raw.first.map { "#^/&{!%>=".contains($0) ? $0 : " " } ?? " "
            var tag = sigil == " " ? raw : String(raw.dropFirst()).trimmingCharacters(in: .whitespaces)
            if tag.hasSuffix("}") { tag = String(tag.dropLast()) }
            let root = String(tag.split(separator: ".").first ?? Substring(tag))
            let unverifiable = sections.contains { empty.contains($0) }
            if "#^& {".contains(sigil), !tag.isEmpty, !unverifiable, !known.contains(tag == "." ? "." : root) {
                throw RenderError("\(path):\(line): template uses '\(tag)', which gwsetup does not provide")
            }
            if sigil == "#" || sigil == "^" { sections.append(tag) }
            if sigil == "/" { _ = sections.popLast() }
            rest = rest[close.upperBound...]
        }
    }
}
