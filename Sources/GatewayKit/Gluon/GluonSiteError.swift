/// A Gluon site that parses but cannot be understood (wrong type, missing key, unknown default domain), said in one line with where.
public struct GluonSiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file the problem is in, also when no line is known (a key that is missing).
    public var file: String
    public var location: LuaSourceLocation?
    public var message: String

    public init(file: String, location: LuaSourceLocation? = nil, message: String) {
        self.file = file
        self.location = location
        self.message = message
    }

    public var description: String {
        if let location { return "\(location): \(message)" }
        return "\(file): \(message)"
    }
}
