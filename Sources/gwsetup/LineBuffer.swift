import Synchronization

/// Collects one gateway's output lines during a fleet run, so they print together when it is done.
final class LineBuffer: Sendable {
    private let lines = Mutex("")

    init() {}

    func append(_ line: String) { append(line, newline: true) }

    func append(_ text: String, newline: Bool) {
        lines.withLock { $0 += newline ? text + "\n" : text }
    }

    var text: String { lines.withLock { $0 } }
}
