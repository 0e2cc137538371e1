import GatewayBase

/// A parsed site.conf or domain file: the table and what the parser tolerated but wants the user to know.
public struct LuaDocument: Sendable, Equatable {
    public var file: String
    public var table: LuaTable
    public var warnings: [Diagnostic]

    public init(file: String, table: LuaTable, warnings: [Diagnostic] = []) {
        self.file = file
        self.table = table
        self.warnings = warnings
    }
}
