/// Who gets in: SSH by key only, admins with sudo, fail2ban on sshd.
extension DesiredStateBuilder {
    func accessFiles(_ gateway: Gateway) throws -> [ManagedFile] {
        let access = site.access
        let fail2ban = site.services.fail2ban
        let base: [String: any Sendable] = ["site_name": site.identity.name, "gateway": gateway.name, "ssh_port": access.sshPort]
        var files = [
            ManagedFile(path: "/etc/ssh/sshd_config.d/gwsetup.conf", content: try renderer.render("ssh/gwsetup.conf", base),
                        validator: Self.sshdValidator, triggers: [.reload("ssh.service")]),
            ManagedFile(path: "/etc/fail2ban/jail.d/gwsetup.local",
                        content: try renderer.render("fail2ban/gwsetup.local", base.merging([
                            "enabled": fail2ban.enabled ? "true" : "false", "max_retry": fail2ban.maxRetry,
                            "find_time": fail2ban.findTime, "ban_time": fail2ban.banTime]) { $1 }),
                        validator: Self.fail2banValidator, triggers: [.restart("fail2ban.service")]),
        ]
        if !access.admins.isEmpty {
            files.append(ManagedFile(
                path: "/etc/sudoers.d/gwsetup-admins",
                content: try renderer.render("sudo/gwsetup-admins", base.merging(["admins": access.admins.map(\.name)]) { $1 }),
                mode: 0o440, validator: #"visudo -c -f "$FILE" >/dev/null"#))  // stderr names the line an admin must fix
        }
        for admin in access.admins {
            files.append(ManagedFile(
                path: "/home/\(admin.name)/.ssh/authorized_keys",
                content: try renderer.render("ssh/authorized_keys", ["admin": admin.name, "keys": admin.keys.map(\.description)]),
                mode: 0o600, owner: admin.name, group: admin.name, validator: #"ssh-keygen -l -f "$FILE" >/dev/null"#))
        }
        return files
    }

    /// sshd checks only whole configs: Debian's main file with the candidate in place of the drop-in.
    static let sshdValidator = #"""
        dir=$(mktemp -d) && trap 'rm -rf "$dir"' EXIT && \
        { printf 'Include %s\n' "$FILE"; grep -v '^Include' /etc/ssh/sshd_config; \
          ls /etc/ssh/ssh_host_*_key >/dev/null 2>&1 || { ssh-keygen -q -t ed25519 -N '' -f "$dir/hostkey" && echo "HostKey $dir/hostkey"; }; } > "$dir/sshd_config" && \
        mkdir -p /run/sshd && /usr/sbin/sshd -t -f "$dir/sshd_config"
        """#

    /// fail2ban reads a whole folder: a copy of /etc/fail2ban with the candidate jail in place.
    static let fail2banValidator = #"""
        dir=$(mktemp -d) && trap 'rm -rf "$dir"' EXIT && cp -r /etc/fail2ban/. "$dir/" && \
        cp "$FILE" "$dir/jail.d/$NAME" && fail2ban-client -c "$dir" --test >/dev/null
        """#
}
