/// A table key as Gluon files use them: names and `['str']` become `.string`, `[n]` and positions become `.integer`.
public enum LuaKey: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case integer(Int)

    public var description: String {
        switch self {
        case .string(let name): name
        case .integer(let index): "[\(index)]"
        }
    }
}

extension LuaKey: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension LuaKey: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self = .integer(value) }
}

extension Array where Element == LuaKey {
    /// Dotted form of a key path (`mesh_vpn.fastd.mtu`), the way Gluon's own checker names settings.
    public var dottedPath: String {
        var text = ""
        for key in self {
            switch key {
            case .string(let name):
                if !text.isEmpty { text += "." }
                text += name
            case .integer(let index):
                text += "[\(index)]"
            }
        }
        return text
    }
}
