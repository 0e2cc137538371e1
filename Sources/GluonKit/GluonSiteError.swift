import GatewayBase

/// A Gluon site that parses but cannot be understood (wrong type, missing key, unknown default domain), said in one line with where.
public struct GluonSiteError: Error, Sendable, Equatable, CustomStringConvertible {
    public let diagnostic: Diagnostic

    /// `file` names the file the problem is in, also when no line is known (a key that is missing).
    public init(file: String, location: SourceLocation? = nil, message: String) {
        diagnostic = Diagnostic(.error, message, at: location, file: file)
    }

    public var file: String { diagnostic.location?.file ?? diagnostic.file ?? "" }
    public var location: SourceLocation? { diagnostic.location }
    public var message: String { diagnostic.message }
    public var description: String { diagnostic.description }
}
