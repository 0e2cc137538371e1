/// WireGuard keys: each generated only where the gateway holds none.
extension Planner {
    static func wireguardKeyChanges(_ desired: DesiredState, _ facts: HostFacts) -> [PlannedChange] {
        desired.wireguardKeys.filter { facts.wireguardPublicKeys[$0.role.rawValue] == nil }.map { key in
            let use = key.role == .exit ? "the exit server's peer list" : "the site's wireguard_public_key (Gluon's peer list)"
            return PlannedChange(action: .add, kind: .wireguardKey, resource: key.privatePath,
                                 reason: "no \(key.role.title); generated on the gateway (wg genkey), never copied off it; apply prints its public half for \(use)",
                                 triggers: key.units.map { .restart($0) })
        }
    }
}
