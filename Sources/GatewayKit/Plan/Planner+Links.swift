/// Live network drift: each mesh link the files imply and each batman-adv runtime setting, compared with what the
/// kernel has. networkd applies a netdev's settings only when it creates the interface, so a changed file alone
/// never reaches a running bat-X; these lines do.
extension Planner {
    /// Settings a batman change may name, in the order apply sets them.
    static let batmanSettings = ["routing_algo", "gw_mode", "gw_bandwidth", "hop_penalty", "orig_interval", "multicast_mode"]
    /// The bridge options a link change may name besides the link itself.
    static let bridgeSnooping = "multicast_snooping"
    static let bridgeMAC = "mac"

    /// `networkdRestarts`: changed netdev or network files already owe networkd's restart, which creates and
    /// configures the links (a fresh droplet's networkd runs, yet has none of them); only the bridge's snooping and
    /// batman-adv's runtime settings of links that exist can still drift, since networkd sets them only on creation.
    static func linkChanges(_ desired: DesiredState, _ facts: HostFacts, networkdRestarts: Bool = false) -> [PlannedChange] {
        guard let live = facts.network else { return [] }
        // A unit that is not running makes its links when it starts in this run; their absence is not drift.
        let networkdRuns = facts.units["systemd-networkd.service"]?.active == true
        var changes: [PlannedChange] = []
        func link(_ name: String, _ reasons: [String], triggers: [ServiceTrigger] = []) {
            guard !reasons.isEmpty else { return }
            changes.append(PlannedChange(action: .change, kind: .link, resource: name, reason: reasons.joined(separator: ", "), triggers: triggers))
        }
        for mesh in desired.meshLinks {
            // networkd sets a bridge's MAC only when it makes the bridge, so a restart owed by its changed netdev file
            // leaves the old one: a gateway renamed, or cloned from another's image, would share its MAC with another
            // gateway of the domain, and batman-adv would place that MAC at both.
            if networkdRuns, let want = mesh.bridgeMAC, let have = live.links[mesh.bridge]?.mac, have != want {
                link("\(mesh.bridge) \(bridgeMAC)", ["\(have) → \(want)"])
            }
            if networkdRuns && networkdRestarts {
                if let snooping = live.links[mesh.bridge]?.multicastSnooping, snooping != mesh.bridgeMulticastSnooping {
                    link("\(mesh.bridge) \(bridgeSnooping)", ["\(onOff(snooping)) → \(onOff(mesh.bridgeMulticastSnooping))"])
                }
                if live.links[mesh.batman] != nil, let settings = live.batman[mesh.batman] {
                    changes += batmanChanges(mesh, settings, drained: live.drained)
                }
            } else if networkdRuns {
                let bridge = live.links[mesh.bridge]
                link(mesh.bridge, bridge.map { linkReasons($0, master: nil, addresses: mesh.bridgeAddresses) } ?? ["missing"])
                if let snooping = bridge?.multicastSnooping, snooping != mesh.bridgeMulticastSnooping {
                    link("\(mesh.bridge) \(bridgeSnooping)", ["\(onOff(snooping)) → \(onOff(mesh.bridgeMulticastSnooping))"])
                }
                if let batman = live.links[mesh.batman] {
                    link(mesh.batman, linkReasons(batman, master: mesh.bridge, addresses: []))
                    if let settings = live.batman[mesh.batman] { changes += batmanChanges(mesh, settings, drained: live.drained) }
                } else {
                    link(mesh.batman, ["missing"])
                }
            }
            // tinc-up is what puts the backbone's tap into batman-adv (it fails when bat-X was not there yet): a restart re-runs it.
            if let tap = mesh.backbone, let unit = mesh.backboneUnit, facts.units[unit]?.active == true {
                link(tap, live.links[tap].map { linkReasons($0, master: mesh.batman, addresses: []) } ?? ["missing"], triggers: [.restart(unit)])
            }
            for instance in mesh.fastdLinks {
                guard facts.units[instance.unit]?.active == true else { continue }
                let fastd: [ServiceTrigger] = [.restart(instance.unit)]
                // Multi-TAP: no peer interface is ever missing (peers come and go), but one that is there and not an up
                // port of batman-adv missed its on-up hook, and its node is cut off; a restart re-runs the hook for all.
                if let stem = instance.peerInterfaceStem {
                    for (name, peer) in live.peerLinks.sorted(by: { $0.key < $1.key }) where FastdL2TPOffload.isPeerInterface(name, stem: stem) {
                        link(name, linkReasons(peer, master: mesh.batman, addresses: []), triggers: fastd)
                    }
                    continue
                }
                // fastd's on-up hook is what puts its interface into batman-adv: a restart re-runs it.
                if let vpn = live.links[instance.interface] {
                    link(instance.interface, linkReasons(vpn, master: mesh.batman, addresses: []), triggers: fastd)
                } else {
                    link(instance.interface, ["missing"], triggers: fastd)
                }
            }
        }
        return changes
    }

    /// `vpn-ffx rejoins bat-ffx` for a fastd restart that only live network drift owes, instead of "its inputs change".
    static func rejoinReason(_ trigger: ServiceTrigger, _ desired: DesiredState, _ changes: [PlannedChange]) -> String? {
        let owers = changes.filter { $0.kind != .service && $0.triggers.contains(trigger) }
        guard !owers.isEmpty, owers.allSatisfy({ $0.kind == .link || $0.kind == .batman }) else { return nil }
        for mesh in desired.meshLinks {
            if let instance = mesh.fastdLinks.first(where: { trigger == .restart($0.unit) }) {
                return instance.peerInterfaceStem.map { "its peers' \($0)… interfaces rejoin \(mesh.batman)" } ?? "\(instance.interface) rejoins \(mesh.batman)"
            }
        }
        if let mesh = desired.meshLinks.first(where: { $0.backboneUnit.map { trigger == .restart($0) } == true }), let tap = mesh.backbone {
            return "\(tap) rejoins \(mesh.batman)"
        }
        return nil
    }

    private static func linkReasons(_ fact: LinkFact, master: String?, addresses: [String]) -> [String] {
        var reasons: [String] = []
        if !fact.up { reasons.append("down") }
        if let master, fact.master != master { reasons.append("master \(fact.master ?? "none") → \(master)") }
        let missing = addresses.filter { !fact.addresses.contains($0) }
        if !missing.isEmpty { reasons.append("address \(missing.joined(separator: ", ")) missing") }
        return reasons
    }

    private static func batmanChanges(_ mesh: MeshLinks, _ live: BatmanFact, drained: Bool) -> [PlannedChange] {
        let want = mesh.settings
        func change(_ setting: String, _ reason: String, triggers: [ServiceTrigger] = []) -> PlannedChange {
            PlannedChange(action: .change, kind: .batman, resource: "\(mesh.batman) \(setting)", reason: reason, triggers: triggers)
        }
        if live.routingAlgorithm != want.routingAlgorithm {
            // A new interface gets every other setting from its netdev file, so this one line says it all.
            return [change("routing_algo", "\(live.routingAlgorithm) → \(want.routingAlgorithm): recreates \(mesh.batman), disruptive: "
                           + "every node of domain \(mesh.domain) drops off for a moment", triggers: mesh.fastdUnits.map { .restart($0) })]
        }
        var changes: [PlannedChange] = []
        // A drained gateway switched itself off on purpose; announcing it again is the watchdog's call, not plan's.
        let drainedOff = drained && live.gatewayMode == "off"
        if !drainedOff {
            if live.gatewayMode != BatmanRuntime.gatewayMode { changes.append(change("gw_mode", "\(live.gatewayMode) → \(BatmanRuntime.gatewayMode)")) }
            if live.gatewayBandwidthDown != want.gatewayBandwidthDown || live.gatewayBandwidthUp != want.gatewayBandwidthUp {
                let now = BatmanRuntime.bandwidthText(down: live.gatewayBandwidthDown, up: live.gatewayBandwidthUp)
                changes.append(change("gw_bandwidth", "\(now) → \(want.bandwidthText)"))
            }
        }
        if live.hopPenalty != want.hopPenalty { changes.append(change("hop_penalty", "\(live.hopPenalty) → \(want.hopPenalty)")) }
        if live.originatorInterval != want.originatorInterval {
            changes.append(change("orig_interval", "\(live.originatorInterval) ms → \(want.originatorInterval) ms"))
        }
        if live.multicastMode != want.multicastMode {
            changes.append(change("multicast_mode", "\(enabled(live.multicastMode)) → \(enabled(want.multicastMode))"))
        }
        return changes
    }

    private static func onOff(_ value: Bool) -> String { value ? "on" : "off" }
    private static func enabled(_ value: Bool) -> String { value ? "enabled" : "disabled" }
}
