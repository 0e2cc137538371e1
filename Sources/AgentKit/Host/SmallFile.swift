#if canImport(Glibc)
import Glibc
#endif

/// Reads the short files the agent polls (/proc, /sys, state files) with a size cap, without Foundation.
public enum SmallFile {
    /// Reads at most `limit` bytes; nil when the file cannot be opened or is longer than `limit`.
    public static func read(_ path: String, limit: Int = 1 << 20) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { break }
            bytes += chunk.prefix(count)
            guard bytes.count <= limit else { return nil }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes `content` to `path` atomically: a temporary file beside it, fsync, then rename over the old one.
    public static func writeAtomically(_ content: String, to path: String, mode: mode_t = 0o644) -> Bool {
        let temporary = "\(path).tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { return false }
        var bytes = Array(content.utf8)
        var written = 0
        let ok = bytes.withUnsafeMutableBytes { buffer -> Bool in
            while written < buffer.count {
                let count = write(fd, buffer.baseAddress! + written, buffer.count - written)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return false }
                written += count
            }
            return true
        }
        fchmod(fd, mode)
        let synced = fsync(fd) == 0
        close(fd)
        guard ok, synced, rename(temporary, path) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }
}
