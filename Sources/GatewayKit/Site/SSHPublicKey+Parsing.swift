import Foundation
import GatewayBase

extension SSHPublicKey {
    /// Parses one authorized_keys line; the blob must decode to a whole key of the type the line names, as sshd checks.
    public init?(line: String) {
        guard Self.defect(in: line) == nil else { return nil }
        let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        type = String(fields[0])
        base64 = String(fields[1])
        comment = fields.count > 2 ? String(fields[2]).trimmingCharacters(in: .whitespaces) : ""
    }

    /// Why sshd would refuse this line, or why gwsetup does, in words an admin can act on; nil when it is a usable key.
    public static func defect(in line: String) -> String? {
        if let scalar = line.unicodeScalars.first(where: FieldGrammar.isForbidden) {
            return "it contains the control character U+\(String(scalar.value, radix: 16, uppercase: true)); one key per list entry, on one line"
        }
        let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard let first = fields.first else { return "want 'TYPE BASE64 [comment]', e.g. 'ssh-ed25519 AAAA… alice@laptop'" }
        let type = String(first)
        // `command="…",from="…" ssh-ed25519 AAAA…`: the authorized_keys options sshd would obey.
        if !knownTypes.contains(type), fields.count >= 2,
           line.split(whereSeparator: { $0 == " " || $0 == "\"" || $0 == "," }).dropFirst().contains(where: { knownTypes.contains(String($0)) }) {
            return "options before the key type (\(Echo.quoted(type, limit: 30))) are not allowed: gwsetup writes plain keys; restrict logins with access.ssh_allow_from"
        }
        guard fields.count >= 2 else { return "want 'TYPE BASE64 [comment]', e.g. 'ssh-ed25519 AAAA… alice@laptop'" }
        if type == "ssh-dss" { return "DSA keys ('ssh-dss') are disabled in OpenSSH; use ssh-ed25519" }
        guard knownTypes.contains(type) else {
            let hint = Suggestion.closest(to: type, among: knownTypes.sorted()).map { "; did you mean '\($0)'?" } ?? ""
            return "unknown key type \(Echo.quoted(type, limit: 80))\(hint)"
        }
        guard let blob = Data(base64Encoded: String(fields[1])), blob.count > 4 else { return "the key data after '\(type)' is not base64" }
        var reader = SSHWireReader(blob)
        guard let innerBytes = reader.string(), innerBytes.count > 0, innerBytes.count <= 64,
              let inner = String(bytes: innerBytes, encoding: .ascii),
              inner.allSatisfy({ $0.isLetter || $0.isNumber || "-@.".contains($0) }) else {
            return "the key data after '\(type)' is not an SSH key (cut off or pasted wrong?)"
        }
        guard inner == type else { return "the key data is a '\(inner)' key, but the line says '\(type)'" }
        if reader.isAtEnd { return "the key data after '\(type)' holds only the type name, no key (cut off when pasted?)" }
        if let defect = keyPartsDefect(type: type, reader: &reader) { return defect }
        guard reader.isAtEnd else { return "the key data after '\(type)' has bytes after the key (two keys pasted together?)" }
        if fields.count > 2, knownTypes.contains(where: { fields[2].contains($0 + " AAAA") }) {
            return "the comment holds another key; give each key its own list entry"
        }
        return nil
    }

    /// The parts after the type string, sized as OpenSSH's sshkey.c reads them.
    private static func keyPartsDefect(type: String, reader: inout SSHWireReader) -> String? {
        let cutOff = "the key data after '\(type)' is cut off or the wrong size (pasted wrong?)"
        switch type {
        case "ssh-ed25519":
            guard reader.string()?.count == 32 else { return cutOff }
        case "sk-ssh-ed25519@openssh.com":
            guard reader.string()?.count == 32, let application = reader.string(), !application.isEmpty else { return cutOff }
        case "ssh-rsa":
            guard let exponent = reader.string(), !exponent.isEmpty, let modulus = reader.string(), !modulus.isEmpty else { return cutOff }
            let bits = bitLength(of: modulus)
            guard bits >= 2048 else { return "the RSA key has \(bits) bits; OpenSSH and gwsetup want at least 2048 (better: ssh-ed25519)" }
        case "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "sk-ecdsa-sha2-nistp256@openssh.com":
            let curve = type.hasPrefix("sk-") ? "nistp256" : String(type.dropFirst("ecdsa-sha2-".count))
            let pointSize = ["nistp256": 65, "nistp384": 97, "nistp521": 133][curve]!
            guard let name = reader.string(), String(bytes: name, encoding: .ascii) == curve else {
                return "the key data of '\(type)' does not name the curve \(curve)"
            }
            guard let point = reader.string(), point.count == pointSize, point.first == 4 else { return cutOff }
            if type.hasPrefix("sk-") {
                guard let application = reader.string(), !application.isEmpty else { return cutOff }
            }
        default:
            return nil
        }
        return nil
    }

    /// Significant bits of an mpint, as `ssh-keygen -l` counts them.
    private static func bitLength(of mpint: [UInt8]) -> Int {
        let digits = mpint.drop { $0 == 0 }
        guard let top = digits.first else { return 0 }
        return (digits.count - 1) * 8 + (8 - top.leadingZeroBitCount)
    }
}

/// Reads the length-prefixed strings of the SSH wire format (RFC 4251), refusing lengths past the end.
struct SSHWireReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ data: Data) { bytes = Array(data) }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func string() -> [UInt8]? {
        guard bytes.count - offset >= 4 else { return nil }
        let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        guard length <= bytes.count - offset - 4 else { return nil }
        defer { offset += 4 + length }
        return Array(bytes[offset + 4..<offset + 4 + length])
    }
}
