/// Gluon's site/domain merge (scripts/check_site.lua), so gwsetup sees exactly the configuration a node of that domain runs with.
///
/// The domain wins. Tables merge key by key, recursively — lists too, index by index, as in Gluon.
/// Exceptions copied from Gluon: an empty domain table keeps the site's value, and a list never
/// merges with a keyed table (the domain's value replaces it). Values of different types replace.
public enum GluonMerge {
    public static func merge(site: LuaTable, domain: LuaTable) -> LuaTable {
        guard case .table(let merged)? = merge(.table(site), .table(domain)) else { return domain }
        return merged
    }

    /// Merges one value of the domain (`override`) over the site's (`base`).
    public static func merge(_ base: LuaValue?, _ override: LuaValue?) -> LuaValue? {
        guard let override, !override.isNil else { return base }
        guard let base, !base.isNil else { return override }
        guard case .table(let baseTable) = base, case .table(let overrideTable) = override else {
            return override
        }
        if overrideTable.isEmpty { return base }
        if baseTable.isSequence != overrideTable.isSequence { return override }

        var merged = baseTable.luaEntries
        var position: [LuaKey: Int] = [:]
        for (index, entry) in merged.enumerated() { position[entry.key] = index }
        for entry in overrideTable.luaEntries {
            if let index = position[entry.key] {
                let value = merge(merged[index].value, entry.value) ?? entry.value
                merged[index] = LuaTable.Entry(key: entry.key, value: value, location: entry.location ?? merged[index].location)
            } else {
                position[entry.key] = merged.count
                merged.append(entry)
            }
        }
        return .table(LuaTable(luaEntries: merged))
    }
}
