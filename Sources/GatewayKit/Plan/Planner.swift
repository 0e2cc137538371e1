import Foundation
import GatewayBase

/// Diffs desired state against facts into an ordered plan: packages, accounts, keys, files, kernel,
/// units, then the restarts the changed files owe (and any an interrupted run left pending).
public enum Planner {
    public static func plan(_ desired: DesiredState, against facts: HostFacts) -> Plan {
        var changes: [PlannedChange] = []
        for package in desired.packages where facts.packages[package] == nil {
            changes.append(PlannedChange(action: .add, kind: .package, resource: package, reason: "not installed"))
        }
        for user in desired.users where !facts.users.contains(user.name) {
            changes.append(PlannedChange(action: .add, kind: .user, resource: user.name, reason: "admin account missing (groups: \(user.groups.joined(separator: ",")))"))
        }
        changes += fastdKeyChanges(desired, facts)
        changes += tincKeyChanges(desired, facts)
        changes += wireguardKeyChanges(desired, facts)
        var owed: [ServiceTrigger] = []
        for change in binaryChanges(desired, facts) {
            changes.append(change)
            owed += change.triggers
        }
        for file in desired.files {
            guard let change = fileChange(file, facts.files[file.path]) else { continue }
            changes.append(change)
            owed += change.triggers
        }
        for setting in desired.sysctl {
            let live = facts.sysctl[setting.key]
            if live == nil && setting.optional { continue }
            if live != setting.value {
                changes.append(PlannedChange(action: .change, kind: .sysctl, resource: setting.key,
                                             reason: "\(live ?? "absent") → \(setting.value)"))
            }
        }
        for module in desired.modules where !facts.loadedModules.contains(module) {
            changes.append(PlannedChange(action: .add, kind: .module, resource: module, reason: "not loaded"))
        }
        var startedNow: Set<String> = []
        for unit in desired.units {
            let fact = facts.units[unit.name]
            var needs: [String] = []
            if fact?.enabled != true { needs.append("enable") }
            if fact?.active != true && !isHeldByDrain(unit.name, facts) { needs.append("start"); startedNow.insert(unit.name) }
            if !needs.isEmpty {
                changes.append(PlannedChange(action: fact == nil ? .add : .change, kind: .unit, resource: unit.name,
                                             reason: needs.joined(separator: " and ")))
            }
        }
        let linkDrift = linkChanges(desired, facts, networkdRestarts: owed.contains(.restart("systemd-networkd.service")))
        changes += linkDrift
        owed += linkDrift.flatMap(\.triggers)
        changes += removals(desired, against: facts)
        owed += changes.filter { $0.kind == .fastdKey || $0.kind == .tincKey || $0.kind == .wireguardKey }.flatMap(\.triggers)
        if let zone = desired.timezone, let live = facts.localtime, live != zone { owed.append(.command(.setTimezone)) }
        var seen: Set<ServiceTrigger> = []
        // Only what this site could owe: a line the gateway's file names beyond that is not run, whatever it says.
        let known = desired.knownTriggers
        let pendingKnown = facts.pendingTriggers.filter(known.contains)
        for trigger in pendingKnown + owed.sorted(by: triggerOrder) where seen.insert(trigger).inserted {
            // A unit that starts in this run reads its new inputs anyway.
            if case .restart(let unit) = trigger, startedNow.contains(unit) { continue }
            if case .reload(let unit) = trigger, startedNow.contains(unit) { continue }
            let pending = facts.pendingTriggers.contains(trigger)
            var reason = pending ? "left pending by an interrupted apply" : "its inputs change in this run"
            if !pending, let rejoin = rejoinReason(trigger, desired, changes) { reason = rejoin }
            if trigger == .command(.setTimezone), let zone = desired.timezone {
                reason = "timezone \(facts.localtime.map { Echo.inline($0.isEmpty ? "(not a link)" : $0) } ?? "unknown") → \(zone)"
            }
            changes.append(PlannedChange(action: .run, kind: .service, resource: trigger.description, reason: reason, triggers: [trigger]))
        }
        return Plan(gateway: desired.gateway, factsDigest: FactsDigest.hex(facts), desiredDigest: digest(desired), changes: changes)
    }

    /// Commands (daemon-reload) before restarts, so restarted units see their new unit files.
    static func triggerOrder(_ a: ServiceTrigger, _ b: ServiceTrigger) -> Bool {
        func rank(_ trigger: ServiceTrigger) -> Int {
            switch trigger {
            case .command: 0
            case .restart: 1
            case .reload: 2
            }
        }
        return rank(a) < rank(b)
    }

    static func fileChange(_ file: ManagedFile, _ fact: FileFact?) -> PlannedChange? {
        guard let fact else {
            let lines = file.content.split(separator: "\n", omittingEmptySubsequences: false).count - (file.content.hasSuffix("\n") ? 1 : 0)
            return PlannedChange(action: .add, kind: .file, resource: file.path,
                                 reason: "missing (\(lines) lines, \(modeText(file.mode)) \(file.owner):\(file.group))",
                                 triggers: file.triggers, diff: SecretMask.mask(LineDiff.unified(old: "", new: file.content, path: file.path)),
                                 digest: SHA256Digest.hex(file.content))
        }
        var reasons: [String] = []
        var diff: String?
        if fact.sha256 != SHA256Digest.hex(file.content) {
            reasons.append("content differs")
            if let old = fact.content { diff = SecretMask.mask(LineDiff.unified(old: old, new: file.content, path: file.path)) }
        }
        if fact.mode != file.mode { reasons.append("mode \(modeText(fact.mode)) → \(modeText(file.mode))") }
        if fact.owner != file.owner || fact.group != file.group { reasons.append("owner \(fact.owner):\(fact.group) → \(file.owner):\(file.group)") }
        guard !reasons.isEmpty else { return nil }
        return PlannedChange(action: .change, kind: .file, resource: file.path, reason: reasons.joined(separator: ", "),
                             triggers: fact.sha256 != SHA256Digest.hex(file.content) ? file.triggers : [], diff: diff,
                             digest: SHA256Digest.hex(file.content))
    }

    static func modeText(_ mode: Int) -> String { "0" + String(mode, radix: 8) }

    /// A stable digest of any Encodable, for staleness checks of saved plans.
    static func digest<Value: Encodable>(_ value: Value) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return SHA256Digest.hex(Array((try? encoder.encode(value)) ?? Data()))
    }
}
