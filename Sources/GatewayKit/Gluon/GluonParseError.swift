/// A syntax error in a site.conf or domain file, printed as one `FILE:LINE:COL: message` line.
public struct GluonParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    init(at location: LuaSourceLocation, _ message: String) {
        self.init(file: location.file, line: location.line, column: location.column, message: message)
    }

    public var location: LuaSourceLocation { LuaSourceLocation(file: file, line: line, column: column) }

    public var description: String { "\(file):\(line):\(column): \(message)" }
}
