/// The exit tunnel's key: generated only where the gateway holds none.
extension Planner {
    static func exitKeyChanges(_ desired: DesiredState, _ facts: HostFacts) -> [PlannedChange] {
        guard let key = desired.exitKey, facts.exitPublicKey == nil else { return [] }
        return [PlannedChange(action: .add, kind: .exitKey, resource: ExitKey.privatePath,
                              reason: "no exit tunnel key; generated on the gateway (wg genkey), never copied off it; "
                                  + "apply prints its public half for the exit server's peer list",
                              triggers: key.units.map { .restart($0) })]
    }
}
