import GatewayBase

/// A Lua table literal that keeps positional values and keyed entries apart and in source order, so printing it back stays close to what the community wrote.
public struct LuaTable: Sendable {
    /// One `key = value` entry, with where its key was written (nil for tables built in code).
    public struct Entry: Sendable {
        public var key: LuaKey
        public var value: LuaValue
        public var location: SourceLocation?

        public init(key: LuaKey, value: LuaValue, location: SourceLocation? = nil) {
            self.key = key
            self.value = value
            self.location = location
        }
    }

    /// Positional values (`{ 'a', 'b' }`), in order; element `i` is Lua index `i + 1`. May hold `.nil`.
    public private(set) var array: [LuaValue] = []
    private var arrayLocations: [SourceLocation?] = []
    /// Keyed entries in the order their keys first appeared; a later duplicate key replaced the value in place.
    public private(set) var entries: [Entry] = []
    private var entryIndex: [LuaKey: Int] = [:]

    public init() {}

    public init(array: [LuaValue] = [], entries: [(LuaKey, LuaValue)] = []) {
        for value in array { append(value) }
        for (key, value) in entries { set(value, forKey: key) }
    }

    /// Adds a positional value, as `{ …, value }` would.
    public mutating func append(_ value: LuaValue, location: SourceLocation? = nil) {
        array.append(value)
        arrayLocations.append(location)
    }

    /// Sets a keyed entry; an existing key keeps its place and takes the new value (Lua: the later assignment wins).
    public mutating func set(_ value: LuaValue, forKey key: LuaKey, location: SourceLocation? = nil) {
        if let existing = entryIndex[key] {
            entries[existing].value = value
            entries[existing].location = location ?? entries[existing].location
        } else {
            entryIndex[key] = entries.count
            entries.append(Entry(key: key, value: value, location: location))
        }
    }

    /// Lua's `t[key]`: nil when absent or set to nil. Positional values win over `[n] = …` for the same index, as in PUC Lua.
    public subscript(key: LuaKey) -> LuaValue? {
        let value: LuaValue?
        if case .integer(let index) = key, index >= 1, index <= array.count {
            value = array[index - 1]
        } else if let position = entryIndex[key] {
            value = entries[position].value
        } else {
            value = nil
        }
        if case .nil? = value { return nil }
        return value
    }

    /// Where the value for `key` was written, if it came from a file.
    public func location(forKey key: LuaKey) -> SourceLocation? {
        if case .integer(let index) = key, index >= 1, index <= array.count {
            return arrayLocations[index - 1]
        }
        return entryIndex[key].flatMap { entries[$0].location }
    }

    /// Follows a key path through nested tables: `value(at: ["mesh_vpn", "fastd", "mtu"])`.
    public func value(at path: [LuaKey]) -> LuaValue? {
        guard let first = path.first else { return .table(self) }
        guard let value = self[first] else { return nil }
        if path.count == 1 { return value }
        guard case .table(let inner) = value else { return nil }
        return inner.value(at: Array(path.dropFirst()))
    }

    /// Same as `value(at:)` with a dotted string (`"mesh_vpn.fastd.mtu"`); keys are names only.
    public func value(atDottedPath path: String) -> LuaValue? {
        value(at: path.split(separator: ".", omittingEmptySubsequences: false).map { .string(String($0)) })
    }

    /// Where the value at a key path was written.
    public func location(at path: [LuaKey]) -> SourceLocation? {
        guard let last = path.last else { return nil }
        let parentPath = Array(path.dropLast())
        guard case .table(let parent)? = value(at: parentPath) else { return nil }
        return parent.location(forKey: last)
    }

    /// The table as Lua sees it: every non-nil key and value, positions first as integer keys, shadowed keys left out.
    public var luaEntries: [Entry] {
        var result: [Entry] = []
        for (offset, value) in array.enumerated() where !value.isNil {
            result.append(Entry(key: .integer(offset + 1), value: value, location: arrayLocations[offset]))
        }
        for entry in entries where !entry.value.isNil {
            if case .integer(let index) = entry.key, index >= 1, index <= array.count { continue }
            result.append(entry)
        }
        return result
    }

    /// True when Lua's `next(t)` would be nil.
    public var isEmpty: Bool { luaEntries.isEmpty }

    /// Length of the sequence 1…n without holes (Lua's `#t` where that is well defined).
    public var sequenceLength: Int {
        var length = 0
        while self[.integer(length + 1)] != nil { length += 1 }
        return length
    }

    /// Gluon's `is_array`: every key is part of the sequence 1…n (an empty table counts as an array).
    public var isSequence: Bool { luaEntries.count == sequenceLength }

    /// Positional values as strings, or nil if any is not a string.
    public var stringArray: [String]? {
        var result: [String] = []
        for index in 0..<sequenceLength {
            guard case .string(let text)? = self[.integer(index + 1)] else { return nil }
            result.append(text)
        }
        return result
    }

    /// Builds a table from Lua key/value pairs, placing keys 1…n into the positional part.
    public init(luaEntries: [Entry]) {
        var keyed: [LuaKey: Entry] = [:]
        for entry in luaEntries { keyed[entry.key] = entry }
        var next = 1
        while let entry = keyed[.integer(next)] {
            append(entry.value, location: entry.location)
            next += 1
        }
        for entry in luaEntries {
            if case .integer(let index) = entry.key, index >= 1, index < next { continue }
            set(entry.value, forKey: entry.key, location: entry.location)
        }
    }
}

extension LuaTable: Equatable {
    /// Structural equality: same positional values and the same keyed entries in any order; locations are ignored.
    public static func == (lhs: LuaTable, rhs: LuaTable) -> Bool {
        guard lhs.array == rhs.array, lhs.entries.count == rhs.entries.count else { return false }
        for entry in lhs.entries {
            guard let position = rhs.entryIndex[entry.key], rhs.entries[position].value == entry.value else {
                return false
            }
        }
        return true
    }
}
