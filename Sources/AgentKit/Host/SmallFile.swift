import GatewayBase

/// GatewayBase's file access for the short files the agent polls (/proc, /sys, leases), where a missing file is no error.
enum SmallFile {
    /// The text of `path`, nil when it cannot be read or is longer than `limit`.
    static func read(_ path: String, limit: Int = 1 << 20) -> String? {
        (try? FileAccess.data(at: path, limit: limit)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Replaces `path` atomically (a temporary file renamed over it), so a reader never sees half a file.
    static func writeAtomically(_ content: String, to path: String) -> Bool {
        (try? FileAccess.write(content, to: path)) != nil
    }
}
