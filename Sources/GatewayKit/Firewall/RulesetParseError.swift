/// A ruleset file that cannot be read, as one line that says what and where (`FILE:LINE:COL: message`).
public struct RulesetParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    public let message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        // Values in a dump can be a megabyte long or carry escapes; every quoted one is shown the way Echo shows values.
        self.message = Echo.quotingValues(in: message)
    }

    /// Line 0 means the file as a whole (it could not be read).
    public var description: String { line == 0 ? "\(file): \(message)" : "\(file):\(line):\(column): \(message)" }
}
