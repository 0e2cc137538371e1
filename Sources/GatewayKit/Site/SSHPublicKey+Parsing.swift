import Foundation

extension SSHPublicKey {
    /// Parses one authorized_keys line; the blob must decode and name the same type, as sshd checks.
    public init?(line: String) {
        guard Self.defect(in: line) == nil else { return nil }
        let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        type = String(fields[0])
        base64 = String(fields[1])
        comment = fields.count > 2 ? String(fields[2]).trimmingCharacters(in: .whitespaces) : ""
    }

    /// Why sshd would refuse this line, in words an admin can act on; nil when it is a usable key.
    public static func defect(in line: String) -> String? {
        let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard fields.count >= 2 else { return "want 'TYPE BASE64 [comment]', e.g. 'ssh-ed25519 AAAA… alice@laptop'" }
        let type = String(fields[0])
        if type == "ssh-dss" { return "DSA keys ('ssh-dss') are disabled in OpenSSH; use ssh-ed25519" }
        guard knownTypes.contains(type) else {
            let hint = Suggestion.closest(to: type, among: knownTypes.sorted()).map { "; did you mean '\($0)'?" } ?? ""
            return "unknown key type '\(type)'\(hint)"
        }
        guard let blob = Data(base64Encoded: String(fields[1])), blob.count > 4 else { return "the key data after '\(type)' is not base64" }
        let length = blob.prefix(4).reduce(0) { $0 << 8 | Int($1) }
        guard length > 0, length <= 64, blob.count >= 4 + length,
              let inner = String(bytes: blob.dropFirst(4).prefix(length), encoding: .ascii),
              inner.allSatisfy({ $0.isLetter || $0.isNumber || "-@.".contains($0) }) else {
            return "the key data after '\(type)' is not an SSH key (cut off or pasted wrong?)"
        }
        guard inner == type else { return "the key data is a '\(inner)' key, but the line says '\(type)'" }
        return nil
    }
}
