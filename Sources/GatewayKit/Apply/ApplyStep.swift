/// One thing apply does on the gateway, as progress lines and the journal name it.
public struct ApplyStep: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case packages, user, fastdKey = "fastd-key", recordTriggers = "record-triggers", file, command, module, sysctl
        /// Every unit that needs it enabled in one systemctl call: each enable is a daemon-reload, seconds under emulation.
        case enable
        /// One unit started in start order, once its files are in place.
        case start
        case restart, reload, clearTriggers = "clear-triggers"
        /// Saves the live rules and arms the detached rollback before new firewall rules are written and loaded.
        case firewallArm = "firewall-arm"
        /// A live mesh link recreated or reconfigured by networkd, or a bridge option set in place.
        case link
        /// batman-adv runtime settings set in place with batctl.
        case batman
        /// Taking back what the site dropped (see ``RemovalFunctions``), and recording what gwsetup owns afterwards.
        case stopUnit = "stop-unit", removeUser = "remove-user", removeFile = "remove-file", restoreFile = "restore-file"
        case removeLink = "remove-link", networkdReload = "networkd-reload", removeFastdKey = "remove-fastd-key"
        case removeDirectory = "remove-directory", manifest
        /// The backbone's tinc host key made with tincd -K; only its public half is printed.
        case tincKey = "tinc-key"
        /// A WireGuard key (the exit's or the mesh VPN's) made with wg genkey; only its public half is printed.
        case wireguardKey = "wireguard-key"
    }

    public var kind: Kind
    /// What the step is about: a path, a unit, a package list.
    public var resource: String

    public init(kind: Kind, resource: String) {
        self.kind = kind
        self.resource = resource
    }

    /// `file /etc/radvd.conf`, the step as one progress line names it.
    public var title: String { "\(kind.rawValue) \(resource)" }
}

/// How one step ended, with the time it took on the gateway.
public struct StepOutcome: Sendable, Equatable {
    public var step: ApplyStep
    public var milliseconds: Int

    public init(step: ApplyStep, milliseconds: Int) {
        self.step = step
        self.milliseconds = milliseconds
    }
}

/// The step that stopped an apply, with what its command said on stderr.
public struct StepFailure: Sendable, Equatable {
    public var step: ApplyStep
    public var status: Int32
    public var stderr: String
    public var milliseconds: Int
}
