import Foundation
import GatewayBase

/// The node keys a WireGuard domain accepts, as communities keep them in git: one file of keys, or a directory with a
/// file per node. A line is a key, blank, or a `#` comment; anything else is refused at its file and line.
enum WireGuardPeersSource {
    /// A node file holds one key and perhaps a comment; a source file a community's whole key list.
    static let fileLimit = 8 << 20
    /// More peers than any gateway serves; past it the source is not a key list.
    static let peerLimit = 100_000

    /// The keys at `path` (made absolute against `siteFile`'s folder); errors name the file and line, never the line's text.
    static func load(_ path: String, siteFile: String) throws(SiteError) -> [WireGuardPublicKey] {
        let resolved = path.hasPrefix("/") ? path : URL(fileURLWithPath: siteFile).deletingLastPathComponent().appendingPathComponent(path).path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory) else {
            throw SiteError("peers source \(Echo.quoted(resolved)) does not exist; name a file of node keys or a folder of key files", at: nil)
        }
        var files: [String] = []
        if isDirectory.boolValue {
            let names: [String]
            do { names = try FileManager.default.contentsOfDirectory(atPath: resolved) } catch {
                throw SiteError("peers source \(Echo.quoted(resolved)): cannot list the folder", at: nil)
            }
            // Dot files are git's and editors' (.git, .gitignore, .swp); sub-folders are not node files.
            for name in names.sorted() where !name.hasPrefix(".") {
                let file = resolved + "/" + name
                var nested: ObjCBool = false
                if FileManager.default.fileExists(atPath: file, isDirectory: &nested), !nested.boolValue { files.append(file) }
            }
        } else {
            files = [resolved]
        }
        var keys: [WireGuardPublicKey] = []
        var seen: [String: SourceLocation] = [:]
        for file in files {
            let text: String
            do { text = try FileAccess.text(at: file, limit: fileLimit) } catch {
                throw SiteError("peers source: \(error)", at: nil)
            }
            // "\r\n" is one Character in Swift: split on both, so a file from Windows reads line by line too.
            for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
                let line = rawLine.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
                if line.isEmpty || line.hasPrefix("#") { continue }
                let location = SourceLocation(file: file, line: index + 1, column: 1)
                guard let key = WireGuardPublicKey(line) else {
                    throw SiteError("not a WireGuard public key (want one key per line: 44 characters of base64 ending in '=', as `wg pubkey` prints; '#' starts a comment)", at: location)
                }
                if let first = seen[key.base64] {
                    throw SiteError("this node key is listed twice, first at \(first); a key belongs to one node", at: location)
                }
                seen[key.base64] = location
                keys.append(key)
                if keys.count > peerLimit { throw SiteError("more than \(peerLimit) node keys: this is not a peers source", at: location) }
            }
        }
        return keys
    }
}
