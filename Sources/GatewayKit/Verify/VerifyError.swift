/// A verify failure the admin must fix before anything can be checked: one line, what and where.
public struct VerifyError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
