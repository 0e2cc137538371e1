import Foundation

extension Transport {
    /// Replaces `path` atomically with `contents`, which travel over stdin so secrets never reach a command line.
    ///
    /// The bytes land in a 0600 temp file beside `path`, get their mode and owner, and are renamed over `path`:
    /// readers see the old file or the new one, never half of it, and never with looser rights than asked for.
    /// The directory must exist.
    public func writeFile(
        _ contents: Data,
        to path: String,
        mode: UInt16 = 0o644,
        owner: String? = nil,
        group: String? = nil,
        timeout: Duration = Self.defaultTimeout
    ) async throws {
        guard path.hasPrefix("/"), !path.hasSuffix("/"), !path.contains("\0") else {
            throw TransportError.invalidRequest("\(describe): cannot write \(path): the path must be absolute and name a file")
        }
        for name in [owner, group].compactMap({ $0 }) where !Self.isAccountName(name) {
            throw TransportError.invalidRequest("\(describe): cannot write \(path): \"\(name)\" is not a user or group name")
        }
        var script = """
            set -eu
            dest=\(ShellQuote.quote(path))
            tmp=$(mktemp "${dest%/*}/.gwsetup.XXXXXX")
            trap 'rm -f "$tmp"' EXIT
            cat > "$tmp"
            chmod \(String(mode, radix: 8)) "$tmp"

            """
        if owner != nil || group != nil {
            script += "chown \(owner ?? ""):\(group ?? "") \"$tmp\"\n"
        }
        script += """
            mv -f "$tmp" "$dest"
            trap - EXIT
            """
        let result = try await run(script, stdin: contents, timeout: timeout)
        guard result.succeeded else {
            throw TransportError.commandFailed(target: describe, command: "write \(path)",
                                               status: result.status, stderr: result.stderrText)
        }
    }

    /// POSIX portable user/group names; anything else would need quoting in chown and is surely a typo.
    private static func isAccountName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || "_-".unicodeScalars.contains($0) }
    }
}
