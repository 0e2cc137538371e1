import GatewayBase

/// A syntax error in a site.conf or domain file, printed as one `FILE:LINE:COL: message` line.
public struct GluonParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let diagnostic: Diagnostic

    public init(file: String, line: Int, column: Int, message: String) {
        self.init(at: SourceLocation(file: file, line: line, column: column), message)
    }

    init(at location: SourceLocation, _ message: String) {
        diagnostic = Diagnostic(.error, message, at: location)
    }

    public var location: SourceLocation { diagnostic.location! }
    public var file: String { location.file }
    public var line: Int { location.line }
    public var column: Int { location.column }
    public var message: String { diagnostic.message }
    public var description: String { diagnostic.description }
}
