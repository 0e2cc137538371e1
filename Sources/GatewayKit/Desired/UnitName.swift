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

    /// `systemd-escape` of a plain name (an interface): `-` as `\x2d`, so `%i` names the same device unit systemd
    /// does and `%I` gives the name back. Bytes outside `[A-Za-z0-9_.:]`, and a leading `.`, are escaped too.
    public static func escape(_ name: String) -> String {
        var result = ""
        for (index, byte) in name.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "_"), UInt8(ascii: ":"):
                result.unicodeScalars.append(UnicodeScalar(byte))
            case UInt8(ascii: ".") where index > 0:
                result.append(".")
            default:
                result += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
            }
        }
        return result
    }
}
