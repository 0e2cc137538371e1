/// Accounts a Debian 12 gateway already has or gets from the packages gwsetup installs; an admin of that
/// name would be put in the sudo group and get a login (the gateway's own UID < 1000 accounts are checked at plan time).
enum SystemAccounts {
    static let names: Set<String> = debianBase.union(fromPackages)

    /// base-passwd's static list (/usr/share/base-passwd/passwd.master), plus nobody.
    static let debianBase: Set<String> = [
        "root", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news", "uucp", "proxy",
        "www-data", "backup", "list", "irc", "gnats", "nobody",
    ]

    /// Created by the packages gwsetup installs and their dependencies: apt, systemd, dbus, openssh-server,
    /// dnsmasq, unbound, chrony, radvd, vnstat.
    static let fromPackages: Set<String> = [
        "_apt", "systemd-network", "systemd-resolve", "systemd-timesync", "systemd-coredump", "systemd-journal",
        "messagebus", "sshd", "dnsmasq", "unbound", "_chrony", "chrony", "radvd", "vnstat", "polkitd", "tss",
    ]
}
