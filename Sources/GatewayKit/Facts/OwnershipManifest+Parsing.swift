import Foundation
import GatewayBase

extension OwnershipManifest {
    /// More than any site's manifest needs; a bigger file is not gwsetup's and nothing in it is believed.
    static let maxBytes = 256 * 1024
    /// Warnings about single entries stop here, so a hostile file cannot flood the run's output.
    static let maxEntryWarnings = 10

    /// Reads the gateway's manifest as hostile input: an entry gwsetup could not have written is dropped and named,
    /// never acted on; a file that is not a manifest at all yields an empty one (nothing is removed).
    public static func parse(_ text: String, policy: OwnershipPolicy, systemAccounts: [String: Int], gateway: String) -> (OwnershipManifest, [String]) {
        let source = policy.manifestPath
        func refuse(_ why: String) -> (OwnershipManifest, [String]) {
            (OwnershipManifest(), ["\(gateway): ignoring \(source): \(why); nothing is removed this run"])
        }
        guard text.utf8.count <= maxBytes else { return refuse("larger than \(maxBytes / 1024) KiB") }
        guard let file = try? JSONDecoder().decode(LooseManifest.self, from: Data(text.utf8)) else { return refuse("not a JSON object") }
        guard file.version == version else { return refuse("not a manifest version gwsetup writes") }
        var warnings = file.unknownKeys.map { "\(gateway): ignoring key \(Echo.quoted($0, limit: 40)) in \(source): not one gwsetup writes" }
        var dropped = 0
        func accepted<T>(_ entries: [Loose<T>], _ what: String, name: (T) -> String, _ accept: (T) -> Bool) -> [T] {
            var seen: Set<String> = []
            return entries.compactMap { entry in
                guard let value = entry.value, accept(value) else {
                    dropped += 1
                    if dropped <= maxEntryWarnings {
                        let shown = entry.value.map { Echo.quoted(name($0), limit: 80) } ?? "an entry of the wrong shape"
                        warnings.append("\(gateway): ignoring \(shown) in \(source): not \(what) gwsetup writes")
                    }
                    return nil
                }
                return seen.insert(name(value)).inserted ? value : nil
            }
        }
        var manifest = OwnershipManifest()
        manifest.users = accepted(file.users, "an admin account", name: { $0 }) { policy.ownsUser($0, systemAccounts: systemAccounts) }
        manifest.files = accepted(file.files, "a file", name: \.path) { policy.ownsFile($0.path) }
        manifest.units = accepted(file.units, "a unit", name: { $0 }, policy.ownsUnit)
        manifest.fastdSecrets = accepted(file.fastdSecrets, "a fastd secret", name: { $0 }, policy.ownsFastdSecret)
        if dropped > maxEntryWarnings {
            warnings.append("\(gateway): ignoring \(dropped - maxEntryWarnings) more entries in \(source) that gwsetup does not write")
        }
        return (manifest, warnings)
    }
}

/// The manifest file as read: every list entry on its own, so one entry of the wrong type drops only itself.
private struct LooseManifest: Decodable {
    var version: Int?
    var users: [Loose<String>] = []
    var files: [Loose<OwnedFile>] = []
    var units: [Loose<String>] = []
    var fastdSecrets: [Loose<String>] = []
    var unknownKeys: [String] = []

    static let keys: Set<String> = ["version", "users", "files", "units", "fastd_secrets"]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        unknownKeys = container.allKeys.map(\.stringValue).filter { !Self.keys.contains($0) }.sorted()
        func key(_ name: String) -> AnyCodingKey { AnyCodingKey(stringValue: name) }
        version = try? container.decode(Int.self, forKey: key("version"))
        users = (try? container.decode([Loose<String>].self, forKey: key("users"))) ?? []
        files = (try? container.decode([Loose<OwnedFile>].self, forKey: key("files"))) ?? []
        units = (try? container.decode([Loose<String>].self, forKey: key("units"))) ?? []
        fastdSecrets = (try? container.decode([Loose<String>].self, forKey: key("fastd_secrets"))) ?? []
    }
}

/// One list entry: its value when it has the expected shape, nil otherwise.
private struct Loose<T: Decodable>: Decodable {
    let value: T?

    init(from decoder: any Decoder) throws {
        value = try? decoder.singleValueContainer().decode(T.self)
    }
}
