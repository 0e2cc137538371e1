/// A problem worth telling the user that does not stop the import (stray tokens, placeholder remotes).
public struct GluonDiagnostic: Sendable, Equatable, CustomStringConvertible {
    public var location: LuaSourceLocation?
    public var message: String

    public init(location: LuaSourceLocation?, message: String) {
        self.location = location
        self.message = message
    }

    public var description: String {
        if let location { return "\(location): warning: \(message)" }
        return "warning: \(message)"
    }
}
