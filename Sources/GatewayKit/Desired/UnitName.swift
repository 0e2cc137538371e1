/// systemd's unit-name grammar, so a restart or reload read back from a file can only name a real unit, never an option.
public enum UnitName {
    /// Unit types gwsetup may restart or reload.
    static let suffixes = [".service", ".socket", ".target", ".timer", ".path", ".mount"]

    /// `fastd@ffx.service`: letters, digits and `:_.\-`, at most one `@`, a known type, at most 255 bytes, no leading `-`.
    public static func isValid(_ name: some StringProtocol) -> Bool {
        guard name.utf8.count <= 255, let suffix = suffixes.first(where: { name.hasSuffix($0) }) else { return false }
        let stem = name.dropLast(suffix.count)
        guard let first = stem.first, first != "-", first != "@", first != "." else { return false }
        var ats = 0
        for scalar in stem.unicodeScalars {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", ":", "_", ".", "\\", "-": continue
            case "@": ats += 1
            default: return false
            }
        }
        return ats <= 1
    }
}
