/// One literal value of a Gluon site.conf, kept close to Lua's own types so nothing is lost before the site model sees it.
public enum LuaValue: Sendable, Equatable {
    case string(String)
    /// Lua 5.3 integer subtype; kept apart from `.float` so `1312` does not come back as `1312.0`.
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case `nil`
    case table(LuaTable)

    /// Name of the Lua type, for messages like "expected a number, found a string".
    public var typeName: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .float: "float"
        case .boolean: "boolean"
        case .nil: "nil"
        case .table: "table"
        }
    }

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The integer value, also for floats with an integral value (Lua compares `5 == 5.0` as equal).
    public var integerValue: Int? {
        switch self {
        case .integer(let value): return value
        case .float(let value):
            guard value.rounded() == value, let exact = Int(exactly: value) else { return nil }
            return exact
        default: return nil
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .float(let value): return value
        default: return nil
        }
    }

    public var booleanValue: Bool? {
        if case .boolean(let value) = self { return value }
        return nil
    }

    public var tableValue: LuaTable? {
        if case .table(let value) = self { return value }
        return nil
    }

    public var isNil: Bool {
        if case .nil = self { return true }
        return false
    }
}
