import GatewayBase

/// The least disruptive repair of each live network change: networkd recreates or reconfigures its own links,
/// batctl sets runtime settings in place, and only a changed routing algorithm deletes bat-X (which the plan marks
/// disruptive). fastd restarts come from the changes' triggers, in unit order right after these steps.
enum LinkRepair {
    /// One call of a shell function below; every argument comes from the desired state, never from the plan.
    struct Call: Equatable {
        let kind: ApplyStep.Kind
        let resource: String
        let function: String
        let arguments: [String]
    }

    static func calls(for changes: [PlannedChange], desired: DesiredState) throws -> [Call] {
        var recreate: [String] = []
        var repair: [String] = []
        var settings: [(mesh: MeshLinks, setting: String)] = []
        var snooping: [MeshLinks] = []
        var macs: [MeshLinks] = []
        for change in changes where change.kind == .link || change.kind == .batman {
            guard let (mesh, name, option) = resolve(change, desired) else {
                throw ApplyError.planMismatch("the plan's \(change.kind.rawValue) \(Echo.quoted(change.resource)) is not in the site")
            }
            switch (change.kind, option) {
            case (.link, nil) where mesh.fastdLink(interface: name) == nil && name != mesh.backbone: if !repair.contains(name) { repair.append(name) }
            case (.link, nil): break  // fastd's or tinc's own interface: its unit's restart trigger is the repair
            case (.link, Planner.bridgeMAC?): macs.append(mesh)
            case (.link, _): snooping.append(mesh)
            case (.batman, "routing_algo"?):
                recreate.append(name)
                if !repair.contains(name) { repair.append(name) }
            case (.batman, let setting?): settings.append((mesh, setting))
            default: break
            }
        }
        var calls: [Call] = []
        for name in recreate { calls.append(Call(kind: .link, resource: "recreate \(name)", function: "gw_link_delete", arguments: [name])) }
        if !repair.isEmpty { calls.append(Call(kind: .link, resource: repair.joined(separator: " "), function: "gw_links", arguments: repair)) }
        for mesh in desired.meshLinks where settings.contains(where: { $0.mesh.batman == mesh.batman }) {
            let wanted = Set(settings.filter { $0.mesh.batman == mesh.batman }.map(\.setting))
            var arguments = [mesh.batman]
            if !wanted.isDisjoint(with: ["gw_mode", "gw_bandwidth"]) { arguments += ["gw_mode", BatmanRuntime.gatewayMode, mesh.settings.batctlBandwidth] }
            if wanted.contains("hop_penalty") { arguments += ["hop_penalty", String(mesh.settings.hopPenalty), ""] }
            if wanted.contains("orig_interval") { arguments += ["orig_interval", String(mesh.settings.originatorInterval), ""] }
            // batctl 2023.0 names the knob by what it turns off: forceflood on means the multicast optimisations are off.
            if wanted.contains("multicast_mode") { arguments += ["multicast_forceflood", mesh.settings.multicastMode ? "0" : "1", ""] }
            let names = Planner.batmanSettings.filter(wanted.contains).joined(separator: ",")
            calls.append(Call(kind: .batman, resource: "\(mesh.batman) \(names)", function: "gw_batman", arguments: arguments))
        }
        for mesh in macs {
            guard let mac = mesh.bridgeMAC else { throw ApplyError.planMismatch("the plan sets \(mesh.bridge)'s MAC, which the site does not give") }
            calls.append(Call(kind: .link, resource: "\(mesh.bridge) \(Planner.bridgeMAC)", function: "gw_bridge_mac", arguments: [mesh.bridge, mac]))
        }
        for mesh in snooping {
            calls.append(Call(kind: .link, resource: "\(mesh.bridge) \(Planner.bridgeSnooping)", function: "gw_bridge_snooping",
                              arguments: [mesh.bridge, mesh.bridgeMulticastSnooping ? "1" : "0"]))
        }
        return calls
    }

    /// The domain, interface and option a change names, if a fresh plan of this site could name them.
    static func resolve(_ change: PlannedChange, _ desired: DesiredState) -> (MeshLinks, String, String?)? {
        guard change.action == .change else { return nil }
        let parts = change.resource.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count) else { return nil }
        let name = parts[0]
        let option = parts.count == 2 ? parts[1] : nil
        for mesh in desired.meshLinks {
            let fastd: [ServiceTrigger] = mesh.fastdUnits.map { .restart($0) }
            let instance = mesh.fastdLink(interface: name)
            switch change.kind {
            case .link where option == nil && (name == mesh.bridge || name == mesh.batman) && change.triggers.isEmpty,
                 .link where option == nil && instance != nil && change.triggers == [.restart(instance!.unit)],
                 .link where option == nil && name == mesh.backbone && change.triggers == mesh.backboneUnit.map { [.restart($0)] },
                 .link where option == Planner.bridgeSnooping && name == mesh.bridge && change.triggers.isEmpty,
                 .link where option == Planner.bridgeMAC && name == mesh.bridge && mesh.bridgeMAC != nil && change.triggers.isEmpty:
                return (mesh, name, option)
            case .batman where name == mesh.batman && option.map(Planner.batmanSettings.contains) == true
                && change.triggers == (option == "routing_algo" ? fastd : []):
                return (mesh, name, option)
            default: continue
            }
        }
        return nil
    }

    /// Shell functions, added to the script only when a plan repairs links.
    static let functions = #"""
    # Settle: networkd makes links asynchronously, and the next step (or fastd's hook) needs them.
    gw_wait_link() { i=0; while [ ! -e "/sys/class/net/$1" ]; do [ $i -ge 100 ] && { echo "$1 did not appear" >&2; return 1; }; sleep 0.1; i=$((i + 1)); done; }
    # A missing netdev is made by a reload; an existing link is reconfigured (addresses, master, up) in place.
    gw_links() {
        reload=
        for l; do [ -e "/sys/class/net/$l" ] || reload=1; done
        if [ -n "$reload" ]; then networkctl reload || return; fi
        for l; do gw_wait_link "$l" || return; done
        networkctl reconfigure -- "$@"
    }
    # Runtime settings in place, as (name, value, extra) triples. gw_mode is left alone while the gateway is drained:
    # the drain may have begun after the plan was made.
    gw_batman() {
        b=$1; shift
        while [ $# -ge 3 ]; do
            if [ "$1" = gw_mode ]; then
                [ -e \#(ShellQuote.quote(LiveNetwork.drainedMarker)) ] || batctl meshif "$b" gw_mode "$2" "$3" || return
            else
                batctl meshif "$b" "$1" "$2" || return
            fi
            shift 3
        done
    }
    gw_bridge_snooping() { ip link set dev "$1" type bridge mcast_snooping "$2"; }
    gw_bridge_mac() { ip link set dev "$1" address "$2"; }

    """#
}
