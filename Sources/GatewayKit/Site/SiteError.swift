/// A site file that cannot be used, as one line that says what and where.
public struct SiteError: Error, Sendable, Equatable, CustomStringConvertible {
    public let location: SourceLocation?
    public let message: String

    public init(_ message: String, at location: SourceLocation?) {
        self.location = location
        self.message = message
    }

    public var description: String {
        location.map { "\($0): \(message)" } ?? message
    }
}

/// All problems of one site file at once, so an admin fixes them in one round.
public struct SiteErrors: Error, Sendable, CustomStringConvertible {
    public let errors: [SiteError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
