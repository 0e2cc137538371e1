import GatewayBase

/// Loads new firewall rules so that a lockout undoes itself.
///
/// `armScript` saves the live rules of both families and the rule files and arms a detached timer that restores
/// what it saved; the apply then installs the new rule files (checked by `iptables-restore --test`) and loads them.
/// Unless `confirmScript` runs (over a new SSH connection, which is the proof that logins still work) before the
/// timer fires, the timer puts back the previous rules of every table the new rules touched and the previous
/// files, so a reboot loads them too.
public struct FirewallRollback: Sendable {
    /// Names this run's state folder and timer unit; unique per apply.
    public var token: String
    public var timeoutSeconds: Int
    public var scheduler: RollbackScheduler
    /// Where the saved rules, the restore script and the outcome live; under /run, so a reboot forgets them.
    public var stateRoot: String
    /// Where the rule files the boot unit loads are installed.
    public var rulesPaths: [IPFamily: String]

    public init(token: String, timeoutSeconds: Int, scheduler: RollbackScheduler = .systemdRun,
                stateRoot: String = "/run/gwsetup/firewall-rollback",
                rulesPaths: [IPFamily: String] = [.ipv4: DesiredState.firewallRulesPath(.ipv4), .ipv6: DesiredState.firewallRulesPath(.ipv6)]) {
        self.token = token
        self.timeoutSeconds = timeoutSeconds
        self.scheduler = scheduler
        self.stateRoot = stateRoot
        self.rulesPaths = rulesPaths
    }

    public var stateDirectory: String { "\(stateRoot)/\(token)" }
    public var unit: String { "gwsetup-firewall-rollback-\(token)" }
    /// The timer `rearmScript` starts in place of the first, under its own name so the two never collide.
    public var rearmedUnit: String { unit + "-end" }

    /// Exit status of `confirmScript` when the timer already rolled back.
    public static let tooLateStatus: Int32 = 4
}
