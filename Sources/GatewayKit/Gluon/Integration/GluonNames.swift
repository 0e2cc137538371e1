/// Turns Gluon's free-form codes and peer names into names the site file accepts, the same way for import and check.
public enum GluonNames {
    /// Longest interface stem: `bat-` plus 11 characters is Linux's 15.
    public static let maxInterfaceStem = SiteDefaults.maxInterfaceNameLength - 4

    /// A site gateway name (a host name label) for a fastd peer name: `vpn_gw01` → `vpn-gw01`.
    public static func gatewayName(forPeer peer: String) -> String {
        var name = String(peer.map { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" ? $0 : "-" }.prefix(63))
        if name.isEmpty { name = "gw" }
        if !(name.first!.isLetter || name.first!.isNumber) { name = "gw" + name.dropFirst() }
        return name
    }

    /// A site identifier (letters, digits, `_`, `-`, starting with a letter) for a Gluon site or domain code.
    public static func identifier(for code: String) -> String {
        var name = String(code.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") ? $0 : "-" })
        if !(name.first.map { $0.isLetter && $0.isASCII } ?? false) { name = "d" + name }
        return name
    }

    /// Short, unique interface stems for the codes too long for Linux (`tecff_landshut_innenstadt` → `lands_innen`);
    /// codes that fit keep their own name and are absent from the result.
    public static func interfaceStems(for codes: [String], siteCode: String) -> [String: String] {
        var taken = Set(codes.filter { $0.count <= maxInterfaceStem })
        var result: [String: String] = [:]
        for code in codes where code.count > maxInterfaceStem {
            var stem = Substring(code)
            for separator in ["_", "-"] where stem.hasPrefix(siteCode + separator) && stem.count > siteCode.count + 1 {
                stem = stem.dropFirst(siteCode.count + 1)
            }
            var words = stem.split(whereSeparator: { $0 == "_" || $0 == "-" }).map(String.init)
            if words.isEmpty { words = [String(stem)] }
            // Shorten the longest word one letter at a time, so every word keeps its beginning.
            while words.joined(separator: "_").count > maxInterfaceStem,
                  let longest = words.indices.max(by: { words[$0].count < words[$1].count }), words[longest].count > 1 {
                words[longest].removeLast()
            }
            var candidate = String(words.joined(separator: "_").prefix(maxInterfaceStem))
            if !(candidate.first.map { $0.isLetter && $0.isASCII } ?? false) { candidate = String(("d" + candidate).prefix(maxInterfaceStem)) }
            var unique = candidate
            var counter = 2
            while taken.contains(unique) {
                let suffix = String(counter)
                unique = String(candidate.prefix(maxInterfaceStem - suffix.count)) + suffix
                counter += 1
            }
            taken.insert(unique)
            result[code] = unique
        }
        return result
    }
}
