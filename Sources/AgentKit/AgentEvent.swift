import CSystemd
#if canImport(Glibc)
import Glibc
#endif

/// One thing that happened in the agent, as journald's structured fields (GWSETUP_EVENT=uplink-down …), so an admin
/// can `journalctl GWSETUP_EVENT=uplink-down` without parsing messages.
public struct AgentEvent: Sendable, Equatable {
    public var name: String
    public var message: String
    /// syslog priority: 3 error, 4 warning, 5 notice, 6 info.
    public var priority: Int
    public var fields: [String: String]

    public init(name: String, message: String, priority: Int = 5, fields: [String: String] = [:]) {
        self.name = name
        self.message = message
        self.priority = priority
        self.fields = fields
    }

    /// The native-protocol fields: MESSAGE, PRIORITY, SYSLOG_IDENTIFIER, GWSETUP_EVENT, and GWSETUP_<KEY> per field.
    public var journalFields: [String] {
        ["MESSAGE=\(message)", "PRIORITY=\(priority)", "SYSLOG_IDENTIFIER=gwsetup-agent", "GWSETUP_EVENT=\(name)"]
            + fields.sorted { $0.key < $1.key }.map { "GWSETUP_\(Self.fieldName($0.key))=\($0.value)" }
    }

    /// `fail_count` → `FAIL_COUNT`: journald accepts only A–Z, 0–9 and `_`.
    static func fieldName(_ key: String) -> String {
        String(key.uppercased().unicodeScalars.map { ("A"..."Z").contains($0) || ("0"..."9").contains($0) ? Character($0) : "_" }.prefix(55))
    }
}

/// Where events go: journald on a gateway, a list in tests.
public protocol EventSink: Sendable {
    func record(_ event: AgentEvent)
}

/// Sends each event to journald with sd_journal_sendv (the variadic sd_journal_send is out of Swift's reach) and to
/// stderr, which journald also keeps when the agent runs under systemd and which a test reads otherwise.
public struct JournalEventSink: EventSink {
    public var alsoStderr: Bool

    public init(alsoStderr: Bool) {
        self.alsoStderr = alsoStderr
    }

    public func record(_ event: AgentEvent) {
        let fields = event.journalFields.map { strdup($0)! }
        defer { fields.forEach { free($0) } }
        var vectors = fields.map { iovec(iov_base: UnsafeMutableRawPointer($0), iov_len: strlen($0)) }
        _ = sd_journal_sendv(&vectors, Int32(vectors.count))
        if alsoStderr {
            let line = "gwsetup-agent: \(event.name): \(event.message)\n"
            _ = line.withCString { write(2, $0, strlen($0)) }
        }
    }
}
