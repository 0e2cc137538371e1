/// One finding of any parser (site, Gluon, ruleset), so every error and warning names its place and prints alike.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    /// Whether the finding stops the run.
    public enum Severity: Sendable, Hashable {
        case error
        case warning
    }

    public var severity: Severity
    /// nil when no line is known (a missing key, a file that cannot be read).
    public var location: SourceLocation?
    /// The file as a whole when there is no location, so the message still says where.
    public var file: String?
    public var message: String

    public init(_ severity: Severity, _ message: String, at location: SourceLocation?, file: String? = nil) {
        self.severity = severity
        self.location = location
        self.file = file
        self.message = message
    }

    /// Something legal but probably regretted, printed and not fatal.
    public static func warning(location: SourceLocation?, message: String) -> Diagnostic {
        Diagnostic(.warning, message, at: location)
    }

    /// The compiler's form: `FILE:LINE:COL: message` for errors, `FILE:LINE:COL: warning: message` for warnings.
    public var description: String {
        let place = location.map { "\($0): " } ?? file.map { "\($0): " } ?? ""
        return place + (severity == .warning ? "warning: " : "") + message
    }
}
