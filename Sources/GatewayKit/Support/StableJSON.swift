import Foundation

/// The one JSON form gwsetup writes for machines (plan files, every `--json`): sorted keys, indented, slashes as is.
public enum StableJSON {
    public static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}
