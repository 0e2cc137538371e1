import CSystemd
import Logging

/// Sends gwsetup's log records to journald with structured fields, so `journalctl GWSETUP_GATEWAY=…` finds a run.
///
/// Goes through libsystemd's `sd_journal_sendv` (the variadic `sd_journal_send` cannot be called from Swift). It
/// redacts nothing: whatever a caller logs is stored, so callers never log secrets or file contents (see ``LogKey``).
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    public var metadataProvider: Logger.MetadataProvider?
    public let label: String
    /// SYSLOG_IDENTIFIER, what `journalctl -t` filters on.
    public let identifier: String

    public init(label: String, identifier: String = "gwsetup", metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.identifier = identifier
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let own = event.metadata { merged.merge(own) { $1 } }
        let entry = JournalEntry(event: event, metadata: merged, label: label, identifier: identifier)
        _ = Self.send(entry)
    }

    /// One `FIELD=value` iovec per field; libsystemd picks the binary-safe encoding for values with newlines.
    /// Returns sd_journal_sendv's result, which is 0 even when no journald listens.
    @discardableResult
    static func send(_ entry: JournalEntry) -> Int32 {
        let buffers = entry.fields.map { field -> UnsafeMutableRawBufferPointer in
            let bytes = Array("\(field.name)=\(field.value)".utf8)
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
            buffer.copyBytes(from: bytes)
            return buffer
        }
        defer { buffers.forEach { $0.deallocate() } }
        var vectors = buffers.map { iovec(iov_base: $0.baseAddress, iov_len: $0.count) }
        return sd_journal_sendv(&vectors, Int32(vectors.count))
    }
}
