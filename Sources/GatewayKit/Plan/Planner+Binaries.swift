/// Shipped programs (the agent) by hash and mode; and the units a drained gateway holds stopped on purpose.
extension Planner {
    static func binaryChanges(_ desired: DesiredState, _ facts: HostFacts) -> [PlannedChange] {
        desired.binaries.compactMap { binary in
            guard let fact = facts.files[binary.path] else {
                return PlannedChange(action: .add, kind: .binary, resource: binary.path,
                                     reason: "missing (sha256 \(binary.sha256.prefix(12))…, \(modeText(binary.mode)))",
                                     triggers: binary.triggers, digest: binary.sha256)
            }
            var reasons: [String] = []
            if fact.sha256 != binary.sha256 { reasons.append("sha256 \(fact.sha256.prefix(12))… → \(binary.sha256.prefix(12))…") }
            if fact.mode != binary.mode { reasons.append("mode \(modeText(fact.mode)) → \(modeText(binary.mode))") }
            if fact.owner != "root" || fact.group != "root" { reasons.append("owner \(fact.owner):\(fact.group) → root:root") }
            guard !reasons.isEmpty else { return nil }
            return PlannedChange(action: .change, kind: .binary, resource: binary.path, reason: reasons.joined(separator: ", "),
                                 triggers: fact.sha256 != binary.sha256 ? binary.triggers : [], digest: binary.sha256)
        }
    }

    /// While the gateway is drained (the agent's marker), its DHCP server and normal radvd are stopped by intent.
    static func isHeldByDrain(_ unit: String, _ facts: HostFacts) -> Bool {
        facts.network?.drained == true && DesiredState.unitsHeldByDrain.contains(unit)
    }
}

extension DesiredState {
    /// What the agent stops while drained; plan does not start them and apply's start and restart leave them alone.
    public static let unitsHeldByDrain: Set<String> = ["dnsmasq.service", "radvd.service"]
}
