import Synchronization

/// Collects one gateway's output lines during a fleet run, so they print together when it is done.
public final class LineBuffer: Sendable {
    private let lines = Mutex("")

    public init() {}

    public func append(_ line: String) { append(line, newline: true) }

    public func append(_ text: String, newline: Bool) {
        lines.withLock { $0 += newline ? text + "\n" : text }
    }

    public var text: String { lines.withLock { $0 } }
}
