import Foundation
import GatewayBase

/// A plan turned into one shell script plus the bytes it reads on stdin: the whole apply in one round trip.
///
/// Order: packages (daemons kept stopped), accounts, fastd keys, the restarts owed recorded on the host, files
/// (each validated, then renamed over the old one), removals of what the site dropped (see `removalCalls`), commands
/// such as daemon-reload, modules, sysctl, triggers of units gwsetup does not run itself, then the units to enable in
/// one call, then each managed unit in start order: started, or restarted or reloaded when its inputs changed. Then the
/// owed restarts are cleared, and last the ownership manifest is rewritten. A failure ends the script at once.
public struct ApplyScript: Sendable {
    public let steps: [ApplyStep]
    public let script: String
    /// New file contents, back to back; the script cuts each out by offset and length and checks its hash.
    public let payload: Data

    /// `firewallRollback` arms a detached rollback before the first new rule file is written, when the plan has one.
    /// `ownership` lets the plan remove what the gateway's manifest claims, and records the next manifest as the last step.
    public init(plan: Plan, desired: DesiredState, holder: String, firewallRollback: FirewallRollback? = nil, ownership: ApplyOwnership? = nil) throws {
        var steps: [ApplyStep] = []
        var calls: [String] = []
        var payload = Data()
        func add(_ kind: ApplyStep.Kind, _ resource: String, _ function: String, _ arguments: [String]) {
            calls.append("step \(steps.count) \(function) " + arguments.map(ShellQuote.quote).joined(separator: " "))
            steps.append(ApplyStep(kind: kind, resource: resource))
        }
        let changes = plan.changes
        // Every name on a command line is the desired state's; the plan only says which of them to act on.
        let packages = try changes.filter { $0.kind == .package && $0.action == .add }.map { change in
            guard let package = desired.packages.first(where: { $0 == change.resource }) else {
                throw ApplyError.planMismatch("the plan's package \(Echo.quoted(change.resource)) is not in the site")
            }
            return package
        }
        if !packages.isEmpty { add(.packages, packages.joined(separator: " "), "gw_packages", packages) }
        for change in changes where change.kind == .user && change.action == .add {
            guard let user = desired.users.first(where: { $0.name == change.resource }) else {
                throw ApplyError.planMismatch("the plan's user \(Echo.quoted(change.resource)) is not in the site")
            }
            add(.user, user.name, "gw_user", [user.name, user.groups.joined(separator: ",")])
        }
        for change in changes where change.kind == .fastdKey && change.action != .remove {
            guard let key = desired.fastdKeys.first(where: { $0.secretPath == change.resource }) else {
                throw ApplyError.planMismatch("the plan's fastd key \(Echo.quoted(change.resource)) is not in the site")
            }
            if let secret = try FastdSecretPayload(key) {
                // The secret travels on stdin with the files, never on a command line; the gateway checks its public key.
                add(.fastdKey, key.instance, "gw_fastd_secret", [key.instance, key.secretPath, String(payload.count), String(secret.bytes.count), secret.publicKey])
                payload.append(secret.bytes)
            } else {
                add(.fastdKey, key.instance, "gw_fastd_key", [key.instance, key.secretPath])
            }
        }
        let tincKey = changes.contains { $0.kind == .tincKey }
        if tincKey {
            guard desired.tincKey != nil, changes.allSatisfy({ $0.kind != .tincKey || ($0.action == .add && $0.resource == TincKey.privatePath) }) else {
                throw ApplyError.planMismatch("the plan's tinc key is not one the site asks the gateway to make")
            }
            add(.tincKey, "gateway host key", "gw_tinc_key", [TincKey.privatePath, TincKey.publicPath])
        }
        let wireguardKeys = try changes.filter { $0.kind == .wireguardKey }.map { change in
            guard change.action == .add, let key = desired.wireguardKeys.first(where: { $0.privatePath == change.resource }) else {
                throw ApplyError.planMismatch("the plan's WireGuard key \(Echo.quoted(change.resource)) is not one the site asks the gateway to make")
            }
            return key
        }
        for key in wireguardKeys { add(.wireguardKey, key.role.title, "gw_wireguard_key", [key.privatePath, key.role.rawValue]) }
        let triggers = changes.filter { $0.kind == .service }.flatMap(\.triggers)
        let known = desired.knownTriggers
        if let stranger = triggers.first(where: { !known.contains($0) || $0.unit.map { !UnitName.isValid($0) } ?? false }) {
            throw ApplyError.planMismatch("the plan's trigger \(Echo.quoted(stranger.description)) is not one the site owes")
        }
        if !triggers.isEmpty { add(.recordTriggers, "\(triggers.count) owed", "gw_record_triggers", triggers.map(\.stateLine)) }
        let rulesPaths = Set([IPFamily.ipv4, .ipv6].map(DesiredState.firewallRulesPath))
        var armFunction = ""
        if let rollback = firewallRollback, changes.contains(where: { $0.kind == .file && rulesPaths.contains($0.resource) }) {
            add(.firewallArm, "rollback in \(rollback.timeoutSeconds)s unless confirmed", "gw_firewall_arm", [])
            // Once armed, the script's exit restarts the countdown, so the admin's window starts when the apply ends.
            armFunction = "gw_firewall_arm_now() (\n\(rollback.armScript(tables: desired.firewallTables))\n)\n"
                + "gw_firewall_rearm() (\n\(rollback.rearmScript)\n)\n"
                + "gw_firewall_arm() { gw_firewall_arm_now && armed=1; }\n"
        }
        // Programs before files: the agent's unit file is checked by systemd-analyze, which wants its ExecStart present.
        for change in changes where change.kind == .binary && change.action != .remove {
            guard let binary = desired.binaries.first(where: { $0.path == change.resource && $0.sha256 == change.digest }) else {
                throw ApplyError.planMismatch("the plan's program \(change.resource) is not the site's")
            }
            let bytes = try AgentBinary.payload(binary)
            add(.file, binary.path, "gw_file", [binary.path, String(binary.mode, radix: 8), "root", "root",
                                                String(payload.count), String(bytes.count), binary.sha256, "", ""])
            payload.append(bytes)
        }
        for change in changes where change.kind == .file && change.action != .remove {
            guard let file = desired.file(change.resource) else {
                throw ApplyError.planMismatch("the plan's file \(change.resource) is not in the site")
            }
            let bytes = Data(file.content.utf8)
            let keep = ownership?.keepsOriginal(of: change) ?? (change.action == .change)
            add(.file, file.path, "gw_file", [file.path, String(file.mode, radix: 8), file.owner, file.group,
                                              String(payload.count), String(bytes.count), SHA256Digest.hex(file.content), file.validator ?? "", keep ? "1" : ""])
            payload.append(bytes)
        }
        let removals = try Self.removalCalls(plan, desired: desired, ownership: ownership)
        for call in removals { add(call.kind, call.resource, call.function, call.arguments) }
        var actions: Set<HostAction> = []
        for trigger in triggers {
            guard case .command(let action) = trigger, actions.insert(action).inserted else { continue }
            switch action {
            case .daemonReload: add(.command, action.rawValue, "gw_daemon_reload", [])
            case .setTimezone:
                guard let zone = desired.timezone else { throw ApplyError.planMismatch("the plan sets a timezone the site does not name") }
                add(.command, "\(action.rawValue) \(zone)", "gw_timezone", [zone])
            }
        }
        // Modules and sysctl settings each in one call: one process instead of one per item.
        let modules = try changes.filter { $0.kind == .module }.map { change in
            guard let module = desired.modules.first(where: { $0 == change.resource }) else {
                throw ApplyError.planMismatch("the plan's module \(Echo.quoted(change.resource)) is not in the site")
            }
            return module
        }
        if !modules.isEmpty { add(.module, modules.joined(separator: " "), "gw_module", modules) }
        let settings = try changes.filter { $0.kind == .sysctl }.map { change in
            guard let setting = desired.sysctl.first(where: { $0.key == change.resource }) else {
                throw ApplyError.planMismatch("the plan's sysctl \(change.resource) is not in the site")
            }
            return "\(setting.key)=\(setting.value)"
        }
        if !settings.isEmpty { add(.sysctl, settings.joined(separator: " "), "gw_sysctl", settings) }
        let managedUnits = desired.units.map(\.name)
        func unitTriggers(_ unit: String) -> [ServiceTrigger] {
            let mine = triggers.filter { $0.unit == unit }
            // A restart re-reads everything a reload would.
            return mine.contains(.restart(unit)) ? [.restart(unit)] : mine
        }
        func addTrigger(_ trigger: ServiceTrigger) {
            switch trigger {
            case .restart(let unit): add(.restart, unit, "gw_restart", [unit])
            case .reload(let unit): add(.reload, unit, "gw_reload", [unit])
            case .command: break
            }
        }
        // Units nobody starts here (systemd-sysctl, systemd-modules-load) re-read their inputs before the daemons start.
        var done: Set<ServiceTrigger> = []
        for trigger in triggers where !managedUnits.contains(trigger.unit ?? "") && done.insert(trigger).inserted { addTrigger(trigger) }
        let unitChanges = Set(changes.filter { $0.kind == .unit }.map(\.resource))
        let toEnable = managedUnits.filter(unitChanges.contains)
        // Link repairs go right after networkd (whose links they are) and before fastd, whose hook joins bat-X.
        let linkCalls = try LinkRepair.calls(for: changes, desired: desired)
        func addLinkCalls() { for call in linkCalls { add(call.kind, call.resource, call.function, call.arguments) } }
        let networkd = "systemd-networkd.service"
        if !managedUnits.contains(networkd) { addLinkCalls() }
        if !toEnable.isEmpty { add(.enable, toEnable.joined(separator: " "), "gw_enable", toEnable) }
        for unit in managedUnits {
            if unitChanges.contains(unit) { add(.start, unit, "gw_start", [unit]) }
            // A restart right where the unit stands in start order: networkd makes bat0 before fastd joins it.
            for trigger in unitTriggers(unit) where done.insert(trigger).inserted { addTrigger(trigger) }
            if unit == networkd { addLinkCalls() }
        }
        if !triggers.isEmpty { add(.clearTriggers, ProbeScript.pendingTriggersPath, "gw_clear_triggers", []) }
        if let ownership {
            // Last, once everything else held: the manifest names only what this run really left in place.
            let content = ownership.next.fileContent
            let path = ownership.policy.manifestPath
            add(.manifest, path, "gw_file", [path, "600", "root", "root", String(payload.count), String(content.utf8.count), SHA256Digest.hex(content), "", ""])
            payload.append(Data(content.utf8))
        }
        self.steps = steps
        self.payload = payload
        self.script = ApplyScriptFunctions.preamble(holder: holder) + (linkCalls.isEmpty ? "" : LinkRepair.functions)
            + (removals.isEmpty ? "" : RemovalFunctions.text) + (tincKey ? TincKeyFunctions.text : "") + (wireguardKeys.isEmpty ? "" : WireGuardKeyFunctions.text)
            + armFunction + calls.joined(separator: "\n") + "\n"
    }
}

extension ServiceTrigger {
    /// The unit a restart or reload acts on; nil for commands.
    var unit: String? {
        switch self {
        case .restart(let unit), .reload(let unit): unit
        case .command: nil
        }
    }
}
