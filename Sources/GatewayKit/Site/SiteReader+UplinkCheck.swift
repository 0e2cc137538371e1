import GatewayBase

extension SiteReader {
    /// `services.uplink_check`; turning it on installs the gateway agent (README: "Uplink health"). Each target's position
    /// is noted, so a later check of a target (the exit's: IPv4 only) points at it rather than at the file's first line.
    mutating func readUplinkCheck(_ value: YAMLValue) throws -> UplinkCheckSettings {
        let map = try value.mapping(knownKeys: ["targets", "interval", "fail_after", "recover_after", "timeout"])
        guard let targetsValue = map["targets"] else { throw value.error("uplink_check needs targets: the addresses the agent probes through the uplink") }
        let items = try targetsValue.sequence()
        guard (1...8).contains(items.count) else { throw targetsValue.error("uplink_check.targets needs 1 to 8 targets, not \(items.count)") }
        let targets = try items.map { item in
            let text = try item.string(.uplinkCheckTargets)
            switch UplinkCheckSettings.Target.parse(text) {
            case .success(let target):
                let address: IPAddress = switch target { case .icmp(let address), .http(let address, _, _): address }
                if let scope = AddressScope.of(address) {
                    throw item.error("uplink check target \(Echo.quoted(text)) is \(scope.rawValue), not beyond the uplink")
                }
                note(item)
                return target
            case .failure(let defect): throw item.error("uplink check target \(Echo.quoted(text)) \(defect.reason)")
            }
        }
        return UplinkCheckSettings(
            targets: targets,
            interval: try map["interval"]?.int(in: 1...3600) ?? UplinkCheckSettings.defaultInterval,
            failAfter: try map["fail_after"]?.int(in: 1...100) ?? UplinkCheckSettings.defaultFailAfter,
            recoverAfter: try map["recover_after"]?.int(in: 1...100) ?? UplinkCheckSettings.defaultRecoverAfter,
            timeout: try map["timeout"]?.int(in: 1...10) ?? UplinkCheckSettings.defaultTimeout)
    }
}
