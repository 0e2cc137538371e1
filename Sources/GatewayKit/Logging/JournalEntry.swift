import Logging

/// One journal record as native-protocol fields, built apart from sending so field naming is plain to test.
struct JournalEntry: Sendable, Equatable {
    struct Field: Sendable, Equatable {
        var name: String
        var value: String
    }

    var fields: [Field]

    /// MESSAGE, PRIORITY, SYSLOG_IDENTIFIER and CODE_* as journald's own tools expect; metadata as GWSETUP_<KEY>.
    init(event: LogEvent, metadata: Logger.Metadata, label: String, identifier: String) {
        var fields = [
            Field(name: "MESSAGE", value: event.message.description),
            Field(name: "PRIORITY", value: String(Self.priority(of: event.level))),
            Field(name: "SYSLOG_IDENTIFIER", value: identifier),
            Field(name: "GWSETUP_LOGGER", value: label),
            Field(name: "CODE_FILE", value: event.file),
            Field(name: "CODE_LINE", value: String(event.line)),
            Field(name: "CODE_FUNC", value: event.function),
        ]
        if let error = event.error {
            fields.append(Field(name: "GWSETUP_ERROR", value: String(describing: error)))
        }
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            fields.append(Field(name: Self.fieldName(forMetadataKey: key), value: value.description))
        }
        self.fields = fields
    }

    /// syslog severities: swift-log has no `alert`/`emerg`, and `trace` folds into `debug` (7).
    static func priority(of level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// `duration_ms` → `GWSETUP_DURATION_MS`: journald accepts only A–Z, 0–9 and `_`, at most 64 characters.
    static func fieldName(forMetadataKey key: String) -> String {
        let cleaned = key.uppercased().unicodeScalars.map { scalar -> Character in
            ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) ? Character(scalar) : "_"
        }
        return String(("GWSETUP_" + String(cleaned)).prefix(64))
    }
}
