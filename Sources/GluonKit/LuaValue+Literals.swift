/// Swift literals for Lua values, so `gluon export` can write `["mesh_vpn": ["fastd": ["mtu": 1312]]]` instead of nested enum cases.
extension LuaValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .float(value) }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    public init(arrayLiteral elements: LuaValue...) { self = .table(LuaTable(array: elements)) }
    public init(dictionaryLiteral elements: (LuaKey, LuaValue)...) { self = .table(LuaTable(entries: elements)) }
}

extension LuaTable: ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(arrayLiteral elements: LuaValue...) { self.init(array: elements) }
    public init(dictionaryLiteral elements: (LuaKey, LuaValue)...) { self.init(entries: elements) }
}
