/// The `-` lines: what the gateway's manifest says gwsetup wrote and the site no longer asks for. The manifest in the
/// facts holds only names gwsetup could have written, so nothing gwsetup did not write is ever planned away.
extension Planner {
    static func removals(_ desired: DesiredState, against facts: HostFacts) -> [PlannedChange] {
        let manifest = facts.manifest
        var changes: [PlannedChange] = []
        let units = Set(desired.units.map(\.name))
        for unit in manifest.units where !units.contains(unit) {
            changes.append(PlannedChange(action: .remove, kind: .unit, resource: unit, reason: "no longer in the site: stopped and disabled"))
        }
        let users = Set(desired.users.map(\.name))
        for user in manifest.users where !users.contains(user) && facts.users.contains(user) && facts.systemAccounts[user] == nil {
            changes.append(PlannedChange(action: .remove, kind: .user, resource: user,
                                         reason: "admin left the site: login locked, keys and sudo taken, account deleted"))
        }
        for file in manifest.files where desired.file(file.path) == nil && !desired.shipsBinary(file.path) {
            changes.append(PlannedChange(action: .remove, kind: .file, resource: file.path, reason: removalReason(file)))
        }
        let secrets = Set(desired.fastdKeys.map(\.secretPath))
        for secret in manifest.fastdSecrets where !secrets.contains(secret) {
            changes.append(PlannedChange(action: .remove, kind: .fastdKey, resource: secret,
                                         reason: "its domain left the site: moved to \(OwnershipManifest.backupDirectory), never printed"))
        }
        return changes
    }

    /// A file gwsetup replaced gets its original back; one it created goes, and with a netdev its interface.
    static func removalReason(_ file: OwnedFile) -> String {
        if file.restore { return "no longer in the site: the original gwsetup replaced comes back from \(OwnershipManifest.backupDirectory)" }
        let name = String(file.path.split(separator: "/").last ?? "")
        if name.hasSuffix(".netdev"), let link = OwnershipPolicy.linkName(ofNetworkdFile: name) {
            return "no longer in the site: deleted, and interface \(link) with it"
        }
        return "no longer in the site: deleted"
    }
}

extension Planner {
    /// Whether a saved `-` could come from a fresh plan of this site: a name gwsetup writes that the site does not keep.
    static func mayRemove(_ change: PlannedChange, keeping desired: DesiredState, policy: OwnershipPolicy = .gateway) -> Bool {
        guard change.action == .remove, change.triggers.isEmpty, change.digest == nil else { return false }
        switch change.kind {
        case .user: return policy.ownsUser(change.resource, systemAccounts: [:]) && !desired.users.contains { $0.name == change.resource }
        case .file: return policy.ownsFile(change.resource) && desired.file(change.resource) == nil && !desired.shipsBinary(change.resource)
        case .unit: return policy.ownsUnit(change.resource) && !desired.units.contains { $0.name == change.resource }
        case .fastdKey: return policy.ownsFastdSecret(change.resource) && !desired.fastdKeys.contains { $0.secretPath == change.resource }
        default: return false
        }
    }
}
