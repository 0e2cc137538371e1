@testable import GatewayKit

/// Where a probe of a real fresh droplet and `HostFacts.freshDebian12` (what `plan --offline` plans against) disagree,
/// over exactly what `desired` makes the probe read; one line per fact, naming it.
enum FreshDropletFacts {
    static func differences(live: HostFacts, fixture: HostFacts, desired: DesiredState) -> [String] {
        var found: [String] = []
        func compare<Value: Equatable>(_ name: String, _ live: Value, _ fixture: Value) {
            if live != fixture { found.append("\(name): the droplet has \(live), freshDebian12 says \(fixture)") }
        }
        // Installed or not is what a plan reads; the version a fixture names cannot follow Debian's point releases.
        for package in desired.packages { compare("package \(package) installed", live.packages[package] != nil, fixture.packages[package] != nil) }
        for user in desired.users.map(\.name) + ["root"] { compare("user \(user)", live.users.contains(user), fixture.users.contains(user)) }
        for file in desired.files.map(\.path) {
            compare("file \(file)", live.files[file].map(describe), fixture.files[file].map(describe))
        }
        for unit in desired.units.map(\.name) {
            compare("unit \(unit)", live.units[unit].map(describe), fixture.units[unit].map(describe))
        }
        for setting in desired.sysctl { compare("sysctl \(setting.key)", live.sysctl[setting.key], fixture.sysctl[setting.key]) }
        for module in desired.modules { compare("module \(module) loaded", live.loadedModules.contains(module), fixture.loadedModules.contains(module)) }
        for key in desired.fastdKeys { compare("fastd key \(key.instance)", live.fastdPublicKeys[key.instance] != nil, fixture.fastdPublicKeys[key.instance] != nil) }
        if desired.timezone != nil { compare("localtime", live.localtime, fixture.localtime) }
        compare("pending triggers", live.pendingTriggers, fixture.pendingTriggers)
        return found
    }

    private static func describe(_ file: FileFact) -> String {
        "sha256 \(file.sha256.prefix(12)) mode 0\(String(file.mode, radix: 8)) \(file.owner):\(file.group)"
    }

    private static func describe(_ unit: UnitFact) -> String {
        "\(unit.enabled ? "enabled" : "disabled") \(unit.active ? "active" : "inactive")"
    }
}
