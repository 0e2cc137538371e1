import Foundation

extension SSHPublicKey {
    /// Parses one authorized_keys line; the blob must decode and name the same type, as sshd checks.
    public init?(line: String) {
        let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard fields.count >= 2, Self.knownTypes.contains(String(fields[0])),
              let blob = Data(base64Encoded: String(fields[1])), blob.count > 4 else { return nil }
        let length = blob.prefix(4).reduce(0) { $0 << 8 | Int($1) }
        guard length > 0, blob.count >= 4 + length,
              String(decoding: blob.dropFirst(4).prefix(length), as: UTF8.self) == String(fields[0]) else { return nil }
        type = String(fields[0])
        base64 = String(fields[1])
        comment = fields.count > 2 ? String(fields[2]).trimmingCharacters(in: .whitespaces) : ""
    }
}
