/// The names DesiredStateBuilder can produce, so what a gateway's manifest claims gwsetup wrote is believed (and
/// removed) only when gwsetup could have written it: a tampered manifest cannot point a removal anywhere else.
public struct OwnershipPolicy: Sendable, Equatable {
    /// Prefix of every owned path and of the manifest: "" on a gateway, a scratch folder in tests (never this machine's /etc).
    public var root: String

    public init(root: String = "") {
        self.root = root
    }

    public static let gateway = OwnershipPolicy()
    public static let manifestRelativePath = "/var/lib/gwsetup/manifest.json"
    public var manifestPath: String { root + Self.manifestRelativePath }

    /// Files of the site as a whole that a site can drop (sudoers without admins, /etc/timezone without a zone) or never does.
    static let siteFiles: Set<String> = [
        "/etc/modules-load.d/gwsetup.conf", "/etc/sysctl.d/90-gwsetup.conf", "/etc/dnsmasq.d/gwsetup.conf", "/etc/radvd.conf",
        "/etc/unbound/unbound.conf.d/gwsetup.conf", "/etc/chrony/chrony.conf", DesiredState.firewallScriptPath,
        DesiredState.firewallRulesPath(.ipv4), DesiredState.firewallRulesPath(.ipv6), "/etc/systemd/system/gwsetup-firewall.service",
        "/etc/ssh/sshd_config.d/gwsetup.conf", "/etc/fail2ban/jail.d/gwsetup.local", "/etc/sudoers.d/gwsetup-admins", "/etc/timezone",
        DesiredStateBuilder.vnstatDropIn, DesiredStateBuilder.nodeExporterDropIn,
        WireGuardSync.scriptPath, "/etc/systemd/system/\(WireGuardSync.template)",
    ]

    /// Units a site can drop and gwsetup then stops; the ones every gateway keeps (ssh, networkd, the firewall) are never owned.
    static let optionalUnits: Set<String> = ["fail2ban.service", "vnstat.service", DesiredStateBuilder.nodeExporterUnit, DesiredState.agentUnit]

    /// `/etc/fastd/<instance>/fastd.conf` (`ffx`, `ffx.2`), `/etc/tinc/<domain>/{tinc.conf,tinc-up,tinc-down,hosts/<name>}`,
    /// `/etc/systemd/network/{20-br,30-bat,25-wg,26-vx}-<name>.{netdev,network}` and `40-gw-exit.{netdev,network}`,
    /// `/etc/gwsetup/wireguard/wg-<name>.peers`,
    /// `/home/<admin>/.ssh/authorized_keys`, or one of the site's own files.
    public func ownsFile(_ path: String) -> Bool {
        guard let rest = relative(path) else { return false }
        if Self.siteFiles.contains(rest) || DesiredState.agentFiles.contains(rest) { return true }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 5 where parts[0...2] == ["", "etc", "fastd"] && parts[4] == "fastd.conf":
            return Self.isFastdInstance(parts[3])
        case 5 where parts[0...3] == ["", "etc", "systemd", "network"]:
            return Self.linkName(ofNetworkdFile: parts[4]) != nil
        case 5 where parts[0...3] == ["", "etc", "gwsetup", "wireguard"] && parts[4].hasPrefix("wg-") && parts[4].hasSuffix(".peers"):
            return FieldGrammar.interfaceName.defect(in: String(parts[4].dropLast(6))) == nil
        case 5 where parts[0...1] == ["", "home"] && parts[3...4] == [".ssh", "authorized_keys"]:
            return FieldGrammar.adminName.defect(in: parts[2]) == nil
        case 5 where parts[0...1] == ["", "etc"] && parts[2] == "tinc" && Self.tincNetFiles.contains(parts[4]):
            return Self.isDomainCode(parts[3])
        case 6 where parts[0...2] == ["", "etc", "tinc"] && parts[4] == "hosts":
            return Self.isDomainCode(parts[3]) && Self.isTincName(parts[5])
        default:
            return false
        }
    }

    /// `/etc/fastd/<domain>/secret.conf`, the one place gwsetup generates a fastd secret.
    public func ownsFastdSecret(_ path: String) -> Bool {
        guard let rest = relative(path) else { return false }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        return parts.count == 5 && parts[0...2] == ["", "etc", "fastd"] && parts[4] == "secret.conf" && Self.isDomainCode(parts[3])
    }

    /// `fastd@<instance>.service` (`ffx`, `ffx.2`), `tinc@<domain>.service`, or a unit a site can switch off.
    public func ownsUnit(_ name: String) -> Bool {
        if Self.optionalUnits.contains(name) { return true }
        guard name.hasSuffix(".service") else { return false }
        if name.hasPrefix("fastd@") { return Self.isFastdInstance(String(name.dropFirst(6).dropLast(8))) }
        if name.hasPrefix("tinc@") { return Self.isDomainCode(String(name.dropFirst(5).dropLast(8))) }
        // gwsetup-wireguard-sync@wg\x2dNAME.service: the escaped instance of a WireGuard link's name.
        let sync = "gwsetup-wireguard-sync@wg\\x2d"
        if name.hasPrefix(sync) { return Self.isDomainCode(String(name.dropFirst(sync.count).dropLast(8))) }
        return false
    }

    /// An admin account gwsetup creates: a valid user name, not root, not a system account here or on Debian.
    public func ownsUser(_ name: String, systemAccounts: [String: Int]) -> Bool {
        FieldGrammar.adminName.defect(in: name) == nil && systemAccounts[name] == nil
    }

    /// `20-br-ffx.netdev` → `br-ffx`, `40-gw-exit.netdev` → `gw-exit`: the interface a networkd file of gwsetup's makes;
    /// nil for any other name. The exit's is owned like a domain's, so a site that drops the exit takes its tunnel down.
    static func linkName(ofNetworkdFile name: String) -> String? {
        if ["40-\(ExitTunnel.interface).netdev", "40-\(ExitTunnel.interface).network"].contains(name) { return ExitTunnel.interface }
        for prefix in ["20-br-", "30-bat-", "25-wg-", "26-vx-"] where name.hasPrefix(prefix) {
            for suffix in [".netdev", ".network"] where name.hasSuffix(suffix) {
                let stem = String(name.dropFirst(prefix.count).dropLast(suffix.count))
                let link = String(prefix.dropFirst(3)) + stem
                guard FieldGrammar.identifier(maxLength: 32).defect(in: stem) == nil, FieldGrammar.interfaceName.defect(in: link) == nil else { return nil }
                return link
            }
        }
        return nil
    }

    /// The files of a backbone net besides its host files.
    static let tincNetFiles: Set<String> = ["tinc.conf", "tinc-up", "tinc-down"]

    /// tinc's `Name` grammar, which ``Gateway/tincName`` produces: letters, digits and `_`, at most a host label's 63.
    static func isTincName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 63 && name.allSatisfy { ($0.isASCII && $0.isLetter) || $0.isASCIIDigit || $0 == "_" }
    }

    static func isDomainCode(_ code: String) -> Bool { FieldGrammar.identifier(maxLength: 32).defect(in: code) == nil }

    /// A fastd instance name gwsetup gives: a domain code, or one with `.2` … `.64` for a domain's further instances.
    static func isFastdInstance(_ name: String) -> Bool { FastdInstance.domain(ofName: name, isDomainCode: isDomainCode) != nil }

    /// The path below the root, starting with `/`; nil outside it.
    private func relative(_ path: String) -> String? {
        guard path.hasPrefix(root + "/") else { return nil }
        return String(path.dropFirst(root.count))
    }
}
