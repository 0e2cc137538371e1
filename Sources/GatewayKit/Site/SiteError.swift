import GatewayBase

/// A site file that cannot be used, as one line that says what and where.
public struct SiteError: Error, Sendable, Equatable, CustomStringConvertible {
    public let diagnostic: Diagnostic

    public init(_ message: String, at location: SourceLocation?) {
        diagnostic = Diagnostic(.error, message, at: location)
    }

    public var location: SourceLocation? { diagnostic.location }
    public var message: String { diagnostic.message }
    public var description: String { diagnostic.description }
}

/// All problems of one site file at once, so an admin fixes them in one round.
public struct SiteErrors: Error, Sendable, CustomStringConvertible {
    public let errors: [SiteError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
