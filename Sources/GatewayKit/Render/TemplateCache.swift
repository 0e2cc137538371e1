import Mustache
import Synchronization

/// Parsed templates by name, so rendering fifty gateways reads and checks each template once.
final class TemplateCache: Sendable {
    struct Entry: Sendable {
        let template: MustacheTemplate
        let text: String
        let path: String
        let syntax: FileSyntax
        let slots: [TemplateSlot]
    }

    private let entries = Mutex<[String: Entry]>([:])

    func entry(_ name: String, load: () throws -> Entry) rethrows -> Entry {
        if let cached = entries.withLock({ $0[name] }) { return cached }
        let entry = try load()
        entries.withLock { $0[name] = entry }
        return entry
    }
}
