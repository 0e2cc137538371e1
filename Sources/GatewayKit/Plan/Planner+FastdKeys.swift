/// fastd keys: generated only where nothing pins one, taken over from the site's secret file, left alone when the gateway holds the wanted key.
extension Planner {
    static func fastdKeyChanges(_ desired: DesiredState, _ facts: HostFacts) -> [PlannedChange] {
        desired.fastdKeys.compactMap { key in
            let held = facts.fastdPublicKeys[key.instance]
            // Every instance of the domain includes the one key, so all of them restart when it changes.
            let units = desired.meshLinks.first { $0.domain == key.instance }?.fastdUnits ?? ["fastd@\(key.instance).service"]
            let restart: [ServiceTrigger] = units.map { .restart($0) }
            if let wanted = key.publicKey, key.secretFile != nil, held != wanted {
                let reason = held.map { "the gateway holds public key \($0); " } ?? ""
                return PlannedChange(action: held == nil ? .add : .change, kind: .fastdKey, resource: key.secretPath,
                                     reason: reason + "installs the site's secret file for fastd instance \(key.instance) (public key \(wanted))",
                                     triggers: restart)
            }
            guard held == nil, key.publicKey == nil else { return nil }
            return PlannedChange(action: .add, kind: .fastdKey, resource: key.secretPath,
                                 reason: "no secret for fastd instance \(key.instance); generated on the gateway, never copied off it",
                                 triggers: restart)
        }
    }
}
