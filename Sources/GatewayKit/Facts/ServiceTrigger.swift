/// What a changed file asks of the host after it is written: a closed set, so nothing read back from a plan file
/// or from the gateway's pending-triggers file can name a command to run.
public enum ServiceTrigger: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Unit names follow systemd's grammar (see ``UnitName``); they come from the site's desired state.
    case restart(String)
    case reload(String)
    /// One of the few host actions no unit owns (daemon-reload, pointing /etc/localtime at the site's zone).
    case command(HostAction)

    public var description: String {
        switch self {
        case .restart(let unit): "restart \(unit)"
        case .reload(let unit): "reload \(unit)"
        case .command(let action): "run \(action.rawValue)"
        }
    }
}

/// Host actions a trigger may ask for; their arguments (the zone) come from the desired state when apply runs.
public enum HostAction: String, Sendable, Hashable, CaseIterable {
    /// systemd re-reads unit files that changed.
    case daemonReload = "systemctl daemon-reload"
    /// /etc/localtime points at the site's timezone, after checking the zone file exists.
    case setTimezone = "set-timezone"
}
