import GatewayBase

extension ApplyScript {
    /// One step of the script before it is numbered.
    struct Call: Equatable {
        var kind: ApplyStep.Kind
        var resource: String
        var function: String
        var arguments: [String]
    }

    /// What the plan takes away, in an order that never leaves a daemon running on deleted files: units stop first,
    /// accounts lose their login, files go (or get their originals back), the interfaces of removed netdevs go and
    /// networkd forgets them, fastd secrets move to the backup folder, and the emptied fastd folders go last.
    static func removalCalls(_ plan: Plan, desired: DesiredState, ownership: ApplyOwnership?) throws -> [Call] {
        let removals = plan.changes.filter { $0.action == .remove }
        guard let first = removals.first else { return [] }
        guard let ownership else {
            throw ApplyError.planMismatch("the plan's \(SavedPlanCheck.name(first)) has no manifest of the gateway's to check it against")
        }
        // Every name on a command line is one the gateway's manifest claimed, gwsetup writes, and the site dropped.
        for change in removals {
            let previous = ownership.previous
            let claimed = switch change.kind {
            case .unit: previous.units.contains(change.resource)
            case .user: previous.users.contains(change.resource)
            case .file: previous.file(change.resource) != nil
            case .fastdKey: previous.fastdSecrets.contains(change.resource)
            default: false
            }
            guard claimed, Planner.mayRemove(change, keeping: desired, policy: ownership.policy) else {
                throw ApplyError.planMismatch("the plan's \(SavedPlanCheck.name(change)) is not something gwsetup wrote that the site dropped")
            }
        }
        func resources(_ kind: PlannedChange.Kind) -> [String] { removals.filter { $0.kind == kind }.map(\.resource) }
        let backup = OwnershipManifest.backupDirectory
        var calls: [Call] = []
        for unit in resources(.unit) { calls.append(Call(kind: .stopUnit, resource: unit, function: "gw_stop_unit", arguments: [unit])) }
        let removedUsers = resources(.user)
        for user in removedUsers { calls.append(Call(kind: .removeUser, resource: user, function: "gw_remove_user", arguments: [user])) }
        var links: [String] = []
        var networkd = false
        var emptiedFolders: [String] = []
        for path in resources(.file) {
            // A removed admin's home is gone with the account: nothing of it comes back, least of all keys.
            let inRemovedHome = removedUsers.contains { path.hasPrefix(ownership.policy.root + "/home/\($0)/") }
            if ownership.previous.file(path)?.restore == true && !inRemovedHome {
                calls.append(Call(kind: .restoreFile, resource: path, function: "gw_restore_file", arguments: [path, backup + path]))
            } else {
                calls.append(Call(kind: .removeFile, resource: path, function: "gw_remove_file", arguments: [path]))
            }
            let folder = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
            let name = String(path.split(separator: "/").last ?? "")
            if folder == ownership.policy.root + "/etc/systemd/network", let link = OwnershipPolicy.linkName(ofNetworkdFile: name) {
                networkd = true
                if name.hasSuffix(".netdev") { links.append(link) }
            }
            if name == "fastd.conf" { emptiedFolders.append(folder) }
            // A backbone net's folder goes once its files have: its hosts folder first (a host file may go alone).
            if name == "tinc.conf" { emptiedFolders += [folder + "/hosts", folder] }
        }
        // The batman interface is a port of the bridge: it goes first, then the bridge.
        for link in links.sorted(by: { $0.hasPrefix("bat-") && !$1.hasPrefix("bat-") }) {
            calls.append(Call(kind: .removeLink, resource: link, function: "gw_link_delete", arguments: [link]))
        }
        if networkd { calls.append(Call(kind: .networkdReload, resource: "systemd-networkd", function: "gw_networkd_reload", arguments: [])) }
        for secret in resources(.fastdKey) {
            calls.append(Call(kind: .removeFastdKey, resource: secret, function: "gw_remove_fastd_key", arguments: [secret, backup + secret]))
            let folder = String(secret[..<(secret.lastIndex(of: "/") ?? secret.endIndex)])
            if !emptiedFolders.contains(folder) { emptiedFolders.append(folder) }
        }
        for folder in emptiedFolders {
            calls.append(Call(kind: .removeDirectory, resource: folder, function: "gw_remove_empty_dir", arguments: [folder]))
        }
        return calls
    }
}

/// The shell functions of removal steps. Each is idempotent (a second run finds nothing to do) and acts only on the
/// name it is given, which the plan, the manifest and the site's name grammar have all agreed on.
enum RemovalFunctions {
    static let text = #"""
        gw_stop_unit() {
            [ "$(systemctl show -p LoadState --value -- "$1" 2>/dev/null)" = loaded ] || return 0
            systemctl disable --now -- "$1" || { st=$?; gw_journal "$1"; return $st; }
        }
        # Login first (locked, expired, no shell, no keys), then sudo, then the account and its home; a failure after
        # the first line still leaves no way in.
        gw_remove_user() {
            u=$(id -u -- "$1" 2>/dev/null) || return 0
            [ "$u" -ge 1000 ] || { echo "$1 has UID $u, a system account; gwsetup leaves it alone" >&2; return 1; }
            usermod -L -e 1 -s /usr/sbin/nologin -- "$1" || return
            rm -f -- "/home/$1/.ssh/authorized_keys" || return
            gpasswd -d "$1" sudo >/dev/null 2>&1
            userdel -f -r -- "$1" >/dev/null 2>&1 || ! id -u -- "$1" >/dev/null 2>&1 || { echo "userdel $1 failed; the account stays locked" >&2; return 1; }
        }
        gw_remove_file() { rm -f -- "$1"; }
        # The original gwsetup replaced goes back with its own mode and owner (cp -p made the copy); without a copy,
        # or without the folder, gwsetup's version stays rather than leaving nothing.
        gw_restore_file() {
            [ -d "${1%/*}" ] && [ -f "$2" ] || return 0
            mv -f -- "$2" "$1"
        }
        gw_networkd_reload() { if systemctl is-active -q systemd-networkd.service; then networkctl reload; fi; }
        gw_remove_fastd_key() {
            [ -e "$1" ] || return 0
            mkdir -p "${2%/*}" && chmod 700 \#(ApplyScriptFunctions.backupDirectory) && mv -f -- "$1" "$2"
        }
        # Only an empty folder: whatever an admin put there by hand stays, and so does the folder.
        gw_remove_empty_dir() { [ ! -d "$1" ] || rmdir -- "$1" 2>/dev/null || :; }

        """#
}
