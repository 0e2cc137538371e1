import GatewayBase

/// A ruleset file that cannot be read, as one line that says what and where (`FILE:LINE:COL: message`).
public struct RulesetParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public let diagnostic: Diagnostic

    /// Line 0 means the file as a whole (it could not be read).
    public init(file: String, line: Int, column: Int, message: String) {
        // Values in a dump can be a megabyte long or carry escapes; every quoted one is shown the way Echo shows values.
        let shown = Echo.quotingValues(in: message)
        let location = line == 0 ? nil : SourceLocation(file: file, line: line, column: column)
        diagnostic = Diagnostic(.error, shown, at: location, file: file)
    }

    public var file: String { diagnostic.location?.file ?? diagnostic.file ?? "" }
    public var line: Int { diagnostic.location?.line ?? 0 }
    public var column: Int { diagnostic.location?.column ?? 0 }
    public var message: String { diagnostic.message }
    public var description: String { diagnostic.description }
}
