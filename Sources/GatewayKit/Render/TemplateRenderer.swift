import Foundation
import Mustache

/// Renders templates in text mode from contexts gwsetup prepares, refusing names the context lacks,
/// because Mustache would silently print nothing and a config with a hole is worse than an error.
public struct TemplateRenderer: Sendable {
    public let store: TemplateStore
    private let cache = TemplateCache()

    public init(store: TemplateStore) { self.store = store }

    public func render(_ name: String, _ context: [String: any Sendable]) throws -> String {
        let entry = try cache.entry(name) {
            let (text, path) = try store.text(of: name)
            do {
                return TemplateCache.Entry(template: try MustacheTemplate(string: "{{%CONTENT_TYPE: TEXT}}" + text), text: text, path: path)
            } catch {
                throw RenderError("\(path): \(error)")
            }
        }
        try Self.checkNames(in: entry.text, path: entry.path, against: context)
        return entry.template.render(context)
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
