/// The public keys apply prints for the admin to copy (`fastd public key of gw1/ffx: KEY`, `tinc public key of gwa: KEY`,
/// `exit public key of gw1: KEY`, `wireguard public key of gw1: KEY`), read back the way an admin's copy would take them.
enum PrintedKeys {
    /// `KIND public key of NAME: KEY` lines of an apply → [NAME: KEY]; NAME is GATEWAY/DOMAIN for fastd, GATEWAY otherwise.
    static func keys(_ kind: String, in output: String) -> [String: String] {
        var keys: [String: String] = [:]
        for line in output.split(separator: "\n") where line.hasPrefix("\(kind) public key of ") {
            let words = line.split(separator: " ")
            if words.count == 6 { keys[String(words[4].dropLast())] = String(words[5]) }
        }
        return keys
    }
}
