import Foundation

/// What gwsetup wrote on a gateway, recorded there at the end of every apply, so a later plan can take back what
/// the site no longer asks for and leave everything else alone.
public struct OwnershipManifest: Sendable, Equatable, Codable {
    /// Admin accounts gwsetup created.
    public var users: [String] = []
    public var files: [OwnedFile] = []
    /// Units gwsetup enabled that a site can drop (a domain's fastd instance, fail2ban, vnstat).
    public var units: [String] = []
    /// fastd secrets gwsetup generated.
    public var fastdSecrets: [String] = []

    public init(users: [String] = [], files: [OwnedFile] = [], units: [String] = [], fastdSecrets: [String] = []) {
        self.users = users
        self.files = files
        self.units = units
        self.fastdSecrets = fastdSecrets
    }

    public func file(_ path: String) -> OwnedFile? { files.first { $0.path == path } }

    /// Where apply keeps the original of a file it replaced: the same path below this folder.
    public static let backupDirectory = ApplyScriptFunctions.backupDirectory

    /// What this apply leaves gwsetup owning: `desired`'s names that `policy` accepts. An account counts when gwsetup
    /// created it (now or before); one that was there already is never deleted. A file counts as replaced (restored on
    /// removal) when an earlier manifest said so, or when this plan overwrites a file no manifest claims.
    public static func after(_ plan: Plan, desired: DesiredState, previous: OwnershipManifest, policy: OwnershipPolicy) -> OwnershipManifest {
        let overwritten = Set(plan.changes.filter { $0.kind == .file && $0.action == .change }.map(\.resource))
        let created = Set(plan.changes.filter { $0.kind == .user && $0.action == .add }.map(\.resource)).union(previous.users)
        return OwnershipManifest(
            users: desired.users.map(\.name).filter { created.contains($0) && policy.ownsUser($0, systemAccounts: [:]) },
            files: (desired.files.map(\.path) + desired.binaries.map(\.path)).filter(policy.ownsFile).map { path in
                OwnedFile(path: path, restore: previous.file(path)?.restore ?? overwritten.contains(path))
            },
            units: desired.units.map(\.name).filter(policy.ownsUnit),
            fastdSecrets: desired.fastdKeys.map(\.secretPath).filter(policy.ownsFastdSecret))
    }

    /// The file's text: one JSON line with a version, so a later gwsetup can tell its own format.
    public var fileContent: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(ManifestFile(version: Self.version, manifest: self))) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static let version = 1

    /// The on-disk shape, snake_case like the site file.
    struct ManifestFile: Encodable {
        let version: Int
        let manifest: OwnershipManifest

        enum CodingKeys: String, CodingKey { case version, users, files, units, fastdSecrets = "fastd_secrets" }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(version, forKey: .version)
            try container.encode(manifest.users, forKey: .users)
            try container.encode(manifest.files, forKey: .files)
            try container.encode(manifest.units, forKey: .units)
            try container.encode(manifest.fastdSecrets, forKey: .fastdSecrets)
        }
    }
}

/// A file gwsetup wrote; `restore` when it replaced one it found, whose original waits in the backup folder.
public struct OwnedFile: Sendable, Equatable, Hashable, Codable {
    public var path: String
    public var restore: Bool

    public init(path: String, restore: Bool) {
        self.path = path
        self.restore = restore
    }
}
