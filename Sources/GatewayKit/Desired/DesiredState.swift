/// Everything one gateway must have, as plain values: the single input of plan, render and apply.
public struct DesiredState: Sendable, Equatable, Codable {
    public var gateway: String
    /// Debian packages, installed in one apt transaction.
    public var packages: [String]
    /// Admin accounts, created before their authorized_keys files are written.
    public var users: [UserAccount]
    /// Config files in apply order; each names its validator and the services it feeds.
    public var files: [ManagedFile]
    /// Values applied now with sysctl and at boot from the sysctl.d file among `files`.
    public var sysctl: [SysctlSetting]
    /// Kernel modules loaded now and at boot from the modules-load.d file among `files`.
    public var modules: [String]
    /// fastd secrets made on the gateway itself, never rendered, printed or copied off it.
    public var fastdKeys: [FastdKey]
    /// systemd units to enable and keep running, in start order.
    public var units: [ManagedUnit]
    /// The tz database name /etc/localtime points at; nil leaves the gateway's zone alone.
    public var timezone: String? = nil
    /// The links and batman-adv settings each domain needs live, compared with the probe's view of the network.
    public var meshLinks: [MeshLinks] = []
    /// Programs gwsetup ships (the agent), compared by hash and installed before the files whose checks run them.
    public var binaries: [ManagedBinary] = []
    /// The backbone's host key, made on the gateway; nil without a backbone.
    public var tincKey: TincKey? = nil
    /// WireGuard keys made on the gateway: the exit tunnel's and the mesh VPN's, where the site needs them.
    public var wireguardKeys: [WireGuardKey] = []

    public func file(_ path: String) -> ManagedFile? { files.first { $0.path == path } }

    /// Every trigger this state can owe: its files', its fastd keys' and a restart or reload of each managed unit.
    public var knownTriggers: Set<ServiceTrigger> {
        var known = Set(files.flatMap(\.triggers))
        known.formUnion(binaries.flatMap(\.triggers))
        known.formUnion(fastdKeys.map { .restart("fastd@\($0.instance).service") })
        known.formUnion(units.flatMap { [.restart($0.name), .reload($0.name)] })
        return known
    }
}

/// A config file gwsetup owns completely: its content, permissions and how to check it.
public struct ManagedFile: Sendable, Equatable, Codable {
    public var path: String
    public var content: String
    public var mode: Int
    public var owner: String
    public var group: String
    /// Shell snippet run on the candidate before it goes live; `$FILE` is the candidate, `$NAME` the final file name.
    public var validator: String?
    /// Units that must restart (or reload) when this file changes, so a change is never left unapplied.
    public var triggers: [ServiceTrigger]

    public init(path: String, content: String, mode: Int = 0o644, owner: String = "root", group: String = "root",
                validator: String? = nil, triggers: [ServiceTrigger] = []) {
        self.path = path
        self.content = content
        self.mode = mode
        self.owner = owner
        self.group = group
        self.validator = validator
        self.triggers = triggers
    }
}

public struct SysctlSetting: Sendable, Equatable, Codable {
    public var key: String
    public var value: String
    /// Keys that exist only when a module is loaded (bridge-nf-call-*) must not fail the boot.
    public var optional: Bool
}

/// An admin's Unix account; passwordless, key-only, with sudo.
public struct UserAccount: Sendable, Equatable, Codable {
    public var name: String
    public var groups: [String]
}

/// One fastd instance's secret: made by `fastd --generate-key` on the gateway, or taken over from a file the site names.
public struct FastdKey: Sendable, Equatable, Codable {
    public var instance: String
    public var secretPath: String
    /// The public key the gateway must end up with (the site's pin, or the secret file's); nil lets any key stand.
    public var publicKey: String? = nil
    /// Where the admin's machine holds the secret to install; only the path, never the secret, lives in desired state.
    public var secretFile: String? = nil

    /// Where gwsetup keeps the secret of fastd instance `instance` on a gateway (plan, apply and `gluon check --live` read it there).
    public static func secretPath(instance: String) -> String { "/etc/fastd/\(instance)/secret.conf" }
}

/// A systemd unit the gateway keeps enabled and running.
public struct ManagedUnit: Sendable, Equatable, Codable {
    public var name: String
}
