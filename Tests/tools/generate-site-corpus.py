#!/usr/bin/env python3
"""Writes Tests/hostile/site/*.yaml and Tests/hostile/site.tsv: each case is site-examples/single-gateway.yaml
with one hostile or careless value. `⟨` in a replacement marks where the error must point (LINE:COL, columns in
Unicode scalars as libyaml counts them); the marker is removed from the file.

Usage: python3 Tests/tools/generate-site-corpus.py   (from the repository root)
"""
import base64, os, struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
BASE = open(os.path.join(ROOT, "site-examples/single-gateway.yaml"), encoding="utf-8").read()
ED = "AAAAC3NzaC1lZDI1NTE5AAAAIAI0BlFU3w5C9pSxuIZ1Sn1HoBGE8XCJS1re3CBLw8qO"
KEY_LINE = 'keys: ["ssh-ed25519 %s alice@laptop"]' % ED


def blob(*parts):
    return base64.b64encode(b"".join(struct.pack(">I", len(p)) + p for p in parts)).decode()


RSA_1024 = ("AAAAB3NzaC1yc2EAAAADAQABAAAAgQCzm89sNbFhqlDn6w7++aUIvTauAYptLTvv6pfOduzWKx621WeRwQ9NNoUcE+RsU3+GZOBP"
            "tRFcbUu1G89P1/m2N52Fk+YIT79r2ReM66B/1UJj7YeKoexgWBvyxuWo9h+uz1XB9Y0wdbMXUUWZMs1k8/RXDBrdTsqpyLd4gBEV"
            "9Q==")  # ssh-keygen -t rsa -b 1024
ED_31 = blob(b"ssh-ed25519", b"\x01" * 31)
ED_TRAILING = base64.b64encode(base64.b64decode(blob(b"ssh-ed25519", b"\x01" * 32)) + b"\x00\x00\x00\x01x").decode()
EC_WRONG_CURVE = blob(b"ecdsa-sha2-nistp256", b"nistp384", b"\x04" + b"\x01" * 96)
EC_SHORT_POINT = blob(b"ecdsa-sha2-nistp256", b"nistp256", b"\x04" + b"\x01" * 32)
SK_NO_APP = blob(b"sk-ssh-ed25519@openssh.com", b"\x01" * 32)
TYPE_ONLY = blob(b"ssh-ed25519")
MEGABYTE = "x" * (1 << 20)


FW_ANCHOR = '      ffx: {ipv4: 10.99.0.1, ipv6: "fd99:1234:5678::1"}\n'
FW = "\nfirewall:\n  open:\n    - %s\n"
TINC_ANCHOR = "    uplink: eth0\n"
TINC_KEY = "    tinc_public_key: %s\n"
# tincd -K2048 and -K1024 (tinc 1.0.36), public halves as apply prints them.
TINC_2048 = ("MIIBCgKCAQEAuQgEWn4kIBNkeG9rr8OGCLpsHkx6Ti/xbz4QDisGCeWNlkOsahZd2CdG3LYf8ZFOQ9UdR05pkYm/SXdPqN9Ll1/MYUEyrisEkhAU2oGE"
             "FgaVA7p9rADKnmEz+NpVhQbhWt8OEc+ZcC426GV3MgZpeZZFWG5kJ/nzrgzqH8Rca+lzkpOD24y1QzbnBnfcn0Wk778LoXFil9/T2dZG7mlA3VQrc1Un"
             "oTtXBcVeTcLWyPzg/vo5U+xFaw82aivZKSO3knsHIM8Fb/RPyHudEW0e1rbq71iy1o9HvvJ+TE0ymZWasJ8deIYcA5bguz5x5W8g5KMCdnKpe2dCIMY6"
             "/xd7gwIDAQAB")
TINC_1024 = ("MIGJAoGBAJiQoDv2aMSdZfGssFqVvcjWCCFjxAmDC+4G7sWegyJOemF4eZI4OVy9VYl5DgmnbfF3z9QvG0deqeb2eRKFmVCnP61596sj0tuHY5zN"
             "kGxDVJk0ESL+VWv47vzMJXx0JI2lK3THey72b0YbZwLbyUaVdlmITuXObUGTNsGNMgl3AgMBAAE=")
TINC_TRAILING = base64.b64encode(base64.b64decode(TINC_2048) + b"\x02\x01\x03").decode()


EXIT_ADDRESS = "    exit_address: 10.200.0.2/32\n"
EXIT = "exit:\n  endpoint: %s\n  public_key: %s\n"
WG_KEY = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg="
# A WireGuard domain goes after ffx's dhcp block; its peers folder is site-examples/wireguard-nodes.
WG_ANCHOR = "      lease_time: 600\n"
WG_SEED = "    domain_seed: 7b3a1f0c9e8d7c6b5a4938271605f4e3d2c1b0a9f8e7d6c5b4a3928170605f4e\n"


def key(text):
    return 'keys: [⟨"%s"]' % text


# name, text to replace (first occurrence), replacement with ⟨, message substring
CASES = [
    # site.name: the sudoers/#includedir class and every control character
    ("name-newline-includedir", "name: Freifunk Example", 'name: ⟨"Freifunk\\n#includedir /tmp/evil"', "contains the control character \\n"),
    ("name-newline-block-scalar", "name: Freifunk Example", "name: ⟨|\n    Freifunk\n    #includedir /tmp/evil", "contains the control character \\n"),
    ("name-escape", "name: Freifunk Example", 'name: ⟨"Freifunk\\e[2J"', "contains the control character \\u{1B}"),
    ("name-nul", "name: Freifunk Example", 'name: ⟨"Freifunk\\0"', "contains the control character \\0"),
    ("name-tab", "name: Freifunk Example", 'name: ⟨"Frei\\tfunk"', "contains the control character \\t"),
    ("name-carriage-return", "name: Freifunk Example", 'name: ⟨"Freifunk\\rroot ALL=(ALL) ALL"', "contains the control character \\r"),
    ("name-bidi-override", "name: Freifunk Example", 'name: ⟨"Freifunk \\u202Eelpmaxe"', "contains the control character \\u{202E}"),
    ("name-c1-next-line", "name: Freifunk Example", 'name: ⟨"Freifunk\\N"', "contains the control character \\u{85}"),
    ("name-line-separator", "name: Freifunk Example", 'name: ⟨"Freifunk\\LExample"', "contains the control character \\u{2028}"),
    ("name-delete", "name: Freifunk Example", 'name: ⟨"Freifunk\\x7F"', "contains the control character \\u{7F}"),
    ("name-zero-width", "name: Freifunk Example", 'name: ⟨"Frei\\u200Bfunk"', "invisible character U+200B"),
    ("name-too-long", "name: Freifunk Example", "name: ⟨" + "Freifunk " * 12, "is longer than 100 characters"),
    ("name-empty", "name: Freifunk Example", 'name: ⟨""', "is empty"),
    ("name-one-megabyte", "name: Freifunk Example", "name: ⟨" + MEGABYTE, "bytes)"),
    # codes and names
    ("code-shell", "code: ffx\n  name", 'code: ⟨"ffx;reboot"\n  name', "may hold only letters, digits"),
    ("code-too-long", "code: ffx\n  name", "code: ⟨" + "f" * 33 + "\n  name", "is longer than 32 characters"),
    ("code-space", "code: ffx\n  name", 'code: ⟨"ff x"\n  name', "may hold only letters, digits"),
    ("domain-code-subshell", "  - code: ffx", '  - code: ⟨"$(reboot)"', "may hold only letters, digits"),
    ("dns-domain-space", "dns_domain: ffx.example", 'dns_domain: ⟨"ffx example"', "is not a DNS name"),
    ("dns-domain-leading-hyphen", "dns_domain: ffx.example", 'dns_domain: ⟨"-ffx.example"', "is not a DNS name"),
    ("dns-domain-newline", "dns_domain: ffx.example", 'dns_domain: ⟨"ffx.example\\nlocal-zone: evil"', "control character \\n"),
    ("interface-name-slash", "  - code: ffx", '  - code: ffx\n    interface_name: ⟨"a/b"', "may hold only letters, digits"),
    # timezone
    ("timezone-traversal", "timezone: Europe/Berlin", "timezone: ⟨../../etc/passwd", "is not a tz database time zone"),
    ("timezone-unknown", "timezone: Europe/Berlin", "timezone: ⟨Europe/Nowhere", "is not a tz database time zone"),
    ("timezone-lower-case", "timezone: Europe/Berlin", "timezone: ⟨europe/berlin", "is not a tz database time zone"),
    ("timezone-newline", "timezone: Europe/Berlin", 'timezone: ⟨"Europe/Berlin\\n"', "control character \\n"),
    # templates
    ("templates-empty", "timezone: Europe/Berlin", 'timezone: Europe/Berlin\n  templates: ⟨""', "is empty"),
    ("templates-option", "timezone: Europe/Berlin", 'timezone: Europe/Berlin\n  templates: ⟨"-rf"', "starts with '-'"),
    ("templates-newline", "timezone: Europe/Berlin", 'timezone: Europe/Berlin\n  templates: ⟨"local\\n"', "control character \\n"),
    # prefixes
    ("prefix4-default-route", "prefix4: 10.99.0.0/16", "prefix4: ⟨0.0.0.0/0", "is the default route"),
    ("prefix4-loopback", "prefix4: 10.99.0.0/16", "prefix4: ⟨127.0.0.0/8", "overlaps loopback space"),
    ("prefix4-multicast", "prefix4: 10.99.0.0/16", "prefix4: ⟨224.0.0.0/4", "overlaps multicast space"),
    ("prefix4-link-local", "prefix4: 10.99.0.0/16", "prefix4: ⟨169.254.0.0/16", "overlaps link-local space"),
    ("prefix4-this-network", "prefix4: 10.99.0.0/16", "prefix4: ⟨0.0.0.0/8", "overlaps 0.0.0.0/8"),
    ("prefix4-broadcast", "prefix4: 10.99.0.0/16", "prefix4: ⟨255.255.255.255/32", "overlaps reserved"),
    ("prefix4-covers-loopback", "prefix4: 10.99.0.0/16", "prefix4: ⟨0.0.0.0/1", "overlaps 0.0.0.0/8"),
    ("prefix6-default-route", "prefix6: fd99:1234:5678::/64", 'prefix6: ⟨"::/0"', "is the default route"),
    ("prefix6-link-local", "prefix6: fd99:1234:5678::/64", 'prefix6: ⟨"fe80::/64"', "overlaps link-local space"),
    ("prefix6-multicast", "prefix6: fd99:1234:5678::/64", 'prefix6: ⟨"ff02::/64"', "overlaps multicast space"),
    ("prefix6-ipv4-mapped", "prefix6: fd99:1234:5678::/64", 'prefix6: ⟨"::ffff:10.0.0.0/104"', "overlaps IPv4-mapped"),
    ("prefix6-loopback", "prefix6: fd99:1234:5678::/64", 'prefix6: ⟨"::1/128"', "overlaps loopback space"),
    ("prefix6-slash-48", "prefix6: fd99:1234:5678::/64", "prefix6: ⟨fd99:1234::/48", "must be a /64"),
    ("dhcp-range-multicast", "lease_time: 600", "lease_time: 600\n      range: ⟨224.0.0.1-224.0.0.9", "lies in multicast space"),
    # domain strings
    ("fastd-method-shell", "methods: [salsa2012+umac", 'methods: [⟨"salsa2012+umac;reboot"', "is not a fastd method"),
    ("gw-bandwidth-newline", "gw_bandwidth: 100mbit/100mbit", 'gw_bandwidth: ⟨"100mbit\\n"', "control character \\n"),
    ("domain-seed-newline", "    dhcp:\n", '    domain_seed: ⟨"00\\n"\n    dhcp:\n', "control character \\n"),
    ("default-router-shell", "    dhcp:\n", '    router_advertisement: {default_routers: [⟨"gw1;reboot"]}\n    dhcp:\n', "host name label"),
    # services
    ("forwarder-multicast", "forwarders: []", "forwarders: [⟨224.0.0.251]", "is multicast"),
    ("forwarder-unspecified", "forwarders: []", 'forwarders: [⟨"::"]', "is the unspecified address"),
    ("forwarder-name", "forwarders: []", "forwarders: [⟨dns.example]", "is not an IP address"),
    ("forwarder-newline", "forwarders: []", 'forwarders: [⟨"9.9.9.9\\nforward-zone"]', "control character \\n"),
    ("local-record-key-newline", "      nextnode.ffx.example: 10.99.0.1", '      ⟨"evil\\nlocal-data": 10.99.0.1', "control character \\n"),
    ("local-record-key-space", "      nextnode.ffx.example: 10.99.0.1", '      ⟨"next node": 10.99.0.1', "is not a DNS name"),
    ("local-record-loopback", "      nextnode.ffx.example: 10.99.0.1", "      nextnode.ffx.example: ⟨127.0.0.1", "loopback"),
    ("ntp-server-subshell", "servers: [0.debian.pool.ntp.org", 'servers: [⟨"$(reboot)"', "is neither an address nor a host name"),
    ("ntp-server-option", "servers: [0.debian.pool.ntp.org", 'servers: [⟨"-oProxyCommand=x"', "is neither an address nor a host name"),
    ("ntp-server-newline", "servers: [0.debian.pool.ntp.org", 'servers: [⟨"pool.ntp.org\\nallow all"', "control character \\n"),
    ("bantime-shell", "bantime: 1h", 'bantime: ⟨"1h; reboot"', "is not a duration"),
    ("firmware-ntp-space", "services:\n", 'firmware: {ntp_servers: [⟨"ntp example"]}\nservices:\n', "is neither an address nor a host name"),
    ("firmware-dns-multicast", "services:\n", 'firmware: {dns_servers: [⟨"ff02::1"]}\nservices:\n', "is multicast"),
    # admins
    ("admin-root", "name: alice", "name: ⟨root", "is root"),
    ("admin-sshd", "name: alice", "name: ⟨sshd", "is a system account"),
    ("admin-apt", "name: alice", "name: ⟨_apt", "is a system account"),
    ("admin-dnsmasq", "name: alice", "name: ⟨dnsmasq", "is a system account"),
    ("admin-chrony", "name: alice", "name: ⟨_chrony", "is a system account"),
    ("admin-nobody", "name: alice", "name: ⟨nobody", "is a system account"),
    ("admin-uppercase", "name: alice", "name: ⟨Alice", "is not a valid Linux user name"),
    ("admin-too-long", "name: alice", "name: ⟨" + "a" * 33, "is longer than 32 characters"),
    ("admin-dollar", "name: alice", 'name: ⟨"alice$"', "is not a valid Linux user name"),
    ("admin-leading-hyphen", "name: alice", 'name: ⟨"-alice"', "is not a valid Linux user name"),
    ("admin-newline", "name: alice", 'name: ⟨"alice\\nroot"', "control character \\n"),
    # SSH keys
    ("key-comment-newline", KEY_LINE, key("ssh-ed25519 %s alice\\nssh-ed25519 %s evil" % (ED, ED)), "control character"),
    ("key-comment-bidi", KEY_LINE, key("ssh-ed25519 %s alice\\u202E" % ED), "control character"),
    ("key-type-without-data", KEY_LINE, key("ssh-ed25519"), "want 'TYPE BASE64 [comment]'"),
    ("key-type-only-blob", KEY_LINE, key("ssh-ed25519 %s alice@laptop" % TYPE_ONLY), "holds only the type name"),
    ("key-data-of-another-type", KEY_LINE, key("ssh-rsa %s alice@laptop" % ED), "the key data is a 'ssh-ed25519' key"),
    ("key-short-rsa", KEY_LINE, key("ssh-rsa %s short" % RSA_1024), "the RSA key has 1024 bits"),
    ("key-command-option", KEY_LINE, key('command=\\"reboot\\" ssh-ed25519 %s alice' % ED), "options before the key type"),
    ("key-from-option", KEY_LINE, key('from=\\"*\\",no-pty ssh-ed25519 %s alice' % ED), "options before the key type"),
    ("key-two-in-one-entry", KEY_LINE, key("ssh-ed25519 %s alice ssh-ed25519 %s bob" % (ED, ED)), "the comment holds another key"),
    ("key-trailing-bytes", KEY_LINE, key("ssh-ed25519 %s alice" % ED_TRAILING), "has bytes after the key"),
    ("key-ed25519-31-bytes", KEY_LINE, key("ssh-ed25519 %s alice" % ED_31), "cut off or the wrong size"),
    ("key-ecdsa-wrong-curve", KEY_LINE, key("ecdsa-sha2-nistp256 %s alice" % EC_WRONG_CURVE), "does not name the curve nistp256"),
    ("key-ecdsa-short-point", KEY_LINE, key("ecdsa-sha2-nistp256 %s alice" % EC_SHORT_POINT), "cut off or the wrong size"),
    ("key-sk-without-application", KEY_LINE, key("sk-ssh-ed25519@openssh.com %s alice" % SK_NO_APP), "cut off or the wrong size"),
    ("key-dsa", KEY_LINE, key("ssh-dss AAAAB3NzaC1kc3MAAACBAP alice"), "DSA keys"),
    ("key-unknown-type", KEY_LINE, key("ssh-ed448 %s alice" % ED), "unknown key type 'ssh-ed448'"),
    ("key-not-base64", KEY_LINE, key("ssh-ed25519 $(reboot) alice"), "is not base64"),
    # ssh_allow_from
    ("allow-from-loopback", "  ssh_port: 22", "  ssh_port: 22\n  ssh_allow_from: [⟨127.0.0.0/8]", "lies in loopback space"),
    ("allow-from-multicast", "  ssh_port: 22", '  ssh_port: 22\n  ssh_allow_from: [⟨"ff02::/16"]', "lies in multicast space"),
    ("allow-from-link-local", "  ssh_port: 22", '  ssh_allow_from: [⟨"fe80::/10"]\n  ssh_port: 22', "lies in link-local space"),
    ("allow-from-mapped", "  ssh_port: 22", '  ssh_port: 22\n  ssh_allow_from: [⟨"::ffff:0:0/96"]', "lies in IPv4-mapped"),
    ("allow-from-newline", "  ssh_port: 22", '  ssh_port: 22\n  ssh_allow_from: [⟨"10.0.0.0/8\\n"]', "control character \\n"),
    # gateways
    ("gateway-name-shell", "  - name: gw1", '  - name: ⟨"gw1;reboot"', "must be a host name label"),
    ("ssh-proxycommand", "ssh: root@gw1.ffx.example", 'ssh: ⟨"-oProxyCommand=x"', "starts with '-'"),
    ("ssh-host-option", "ssh: root@gw1.ffx.example", 'ssh: ⟨"root@-x"', "starts with '-', which ssh would read as an option"),
    ("ssh-user-option", "ssh: root@gw1.ffx.example", 'ssh: ⟨"-oProxyCommand=x@gw1"', "starts with '-'"),
    ("ssh-user-uppercase", "ssh: root@gw1.ffx.example", "ssh: ⟨Root@gw1.ffx.example", "is not a valid Linux user name"),
    ("ssh-host-with-flags", "ssh: root@gw1.ffx.example", 'ssh: ⟨"root@gw1 -p 2222"', "must be 'local' or 'user@host[:port]'"),
    ("ssh-port-zero", "ssh: root@gw1.ffx.example", "ssh: ⟨root@gw1.ffx.example:0", "must be between 1 and 65535"),
    ("ssh-port-too-big", "ssh: root@gw1.ffx.example", "ssh: ⟨root@gw1.ffx.example:65536", "must be between 1 and 65535"),
    ("ssh-host-subshell", "ssh: root@gw1.ffx.example", 'ssh: ⟨"root@$(reboot)"', "is neither a DNS name nor an IP address"),
    ("ssh-newline", "ssh: root@gw1.ffx.example", 'ssh: ⟨"root@gw1\\nProxyCommand x"', "control character \\n"),
    ("ssh-mapping-host-option", "ssh: root@gw1.ffx.example", 'ssh: {host: ⟨"-oProxyCommand=x"}', "starts with '-'"),
    ("ssh-mapping-user-root-option", "ssh: root@gw1.ffx.example", 'ssh: {user: ⟨"-lroot", host: gw1.ffx.example}', "is not a valid Linux user name"),
    ("ssh-mapping-port-zero", "ssh: root@gw1.ffx.example", "ssh: {host: gw1.ffx.example, port: ⟨0}", "must be between 1 and 65535"),
    ("uplink-wildcard", "uplink: eth0", 'uplink: ⟨"+"', "iptables reads as a wildcard"),
    ("uplink-prefix-wildcard", "uplink: eth0", 'uplink: ⟨"eth+"', "iptables reads as a wildcard"),
    ("uplink-subshell", "uplink: eth0", 'uplink: ⟨"$(reboot)"', "letters, digits, '.', '-' and '_' only"),
    ("uplink-semicolon", "uplink: eth0", 'uplink: ⟨"eth0 ; reboot"', "is not a valid interface name"),
    ("uplink-16-bytes", "uplink: eth0", "uplink: ⟨enx00e04c6801234", "is not a valid interface name"),
    ("uplink-loopback", "uplink: eth0", "uplink: ⟨lo", "is the loopback interface"),
    ("uplink-batman", "uplink: eth0", "uplink: ⟨bat-ffx", "an interface gwsetup creates for domain 'ffx'"),
    ("uplink-bridge", "uplink: eth0", "uplink: ⟨br-ffx", "an interface gwsetup creates for domain 'ffx'"),
    ("uplink-fastd", "uplink: eth0", "uplink: ⟨vpn-ffx", "an interface gwsetup creates for domain 'ffx'"),
    ("uplink-dot-dot", "uplink: eth0", 'uplink: ⟨".."', "is not an interface name"),
    ("uplink-colon", "uplink: eth0", 'uplink: ⟨"eth0:1"', "letters, digits, '.', '-' and '_' only"),
    ("uplink-option", "uplink: eth0", 'uplink: ⟨"-eth0"', "starts with '-'"),
    ("uplink-newline", "uplink: eth0", 'uplink: ⟨"eth0\\n"', "control character \\n"),
    ("public-host-shell", "uplink: eth0", 'uplink: eth0\n    public_host: ⟨"gw1.example;reboot"', "must be a host name or an IP address"),
    ("gateway-ipv6-loopback", 'ipv6: "fd99:1234:5678::1"', 'ipv6: ⟨"::1"', "is loopback"),
    ("addresses-key-newline", "      ffx: {ipv4", '      ⟨"ffx\\n": {ipv4', "control character \\n"),
    # keys of the file itself
    ("unknown-key-one-megabyte", "gateways:\n", "? ⟨" + "k" * (1 << 20) + "\n: 1\ngateways:\n", "unknown key 'kkkk"),
    ("unknown-key-escape", "gateways:\n", '⟨"na\\e]0;pwned\\ame": 1\ngateways:\n', "a key contains the control character \\u{1B}"),
    # firewall.open: names end up in an iptables comment and in verify's ids; ports must not open the mesh services
    ("firewall-name-quote", FW_ANCHOR, FW_ANCHOR + FW % "{name: ⟨'web\" -j DROP', on: uplink, proto: tcp, port: 443}", "may hold only lower-case letters and digits"),
    ("firewall-name-newline", FW_ANCHOR, FW_ANCHOR + FW % '{name: ⟨"web\\n-A INPUT -j ACCEPT", on: uplink, proto: tcp, port: 443}', "contains the control character \\n"),
    ("firewall-open-resolver", FW_ANCHOR, FW_ANCHOR + FW % "{on: uplink, proto: udp, port: ⟨53}", "would make the gateway an open resolver"),
    ("firewall-widen-ssh", FW_ANCHOR, FW_ANCHOR + FW % '{on: uplink, proto: tcp, port: ⟨"1-1024"}', "is SSH, which access.ssh_allow_from opens"),
    ("firewall-from-host-bits", FW_ANCHOR, FW_ANCHOR + FW % "{on: uplink, proto: tcp, port: 443, from: [⟨192.0.2.1/24]}", "is not an address prefix"),
    ("firewall-port-option", FW_ANCHOR, FW_ANCHOR + FW % '{on: uplink, proto: tcp, port: ⟨"--dport"}', "'port' must be a port 1-65535"),
    # backbone: the tinc public key lands in a host file tincd reads, the tinc ports on the uplink
    ("tinc-key-newline", TINC_ANCHOR, TINC_ANCHOR + TINC_KEY % ('⟨"%s\\nAddress = 192.0.2.66"' % TINC_2048[:40]), "contains the control character \\n"),
    ("tinc-key-pem-header", TINC_ANCHOR, TINC_ANCHOR + TINC_KEY % "⟨'-----BEGIN RSA PUBLIC KEY-----'", "is not base64"),
    ("tinc-key-shell", TINC_ANCHOR, TINC_ANCHOR + TINC_KEY % '⟨"$(reboot)"', "is not base64"),
    ("tinc-key-1024-bits", TINC_ANCHOR, TINC_ANCHOR + TINC_KEY % ("⟨" + TINC_1024), "is an RSA key of 1024 bits"),
    ("tinc-key-ssh-blob", TINC_ANCHOR, TINC_ANCHOR + TINC_KEY % ("⟨" + ED), "is not an RSA public key"),
    ("tinc-key-trailing-bytes", TINC_ANCHOR, TINC_ANCHOR + TINC_KEY % ("⟨" + TINC_TRAILING), "is not an RSA public key"),
    ("backbone-kind-shell", FW_ANCHOR, FW_ANCHOR + '\nbackbone: ⟨"tinc; reboot"\n', "the backbone kind must be tinc"),
    ("backbone-port-fastd", FW_ANCHOR, FW_ANCHOR + "\nbackbone: {kind: tinc, port: ⟨10000}\n", "is fastd of domain 'ffx'"),
    ("backbone-port-resolver", FW_ANCHOR, FW_ANCHOR + "\nbackbone: {kind: tinc, port: ⟨53}\n", "would make the gateway an open resolver"),
    ("backbone-firewall-opening", FW_ANCHOR, FW_ANCHOR + "\nbackbone: tinc\n" + FW % "{on: uplink, proto: tcp, port: ⟨655}", "is tinc of domain 'ffx'"),
    # exit: the endpoint and the key land in a networkd netdev, the address in its .network (tails: EXIT_TAILS)
    ("exit-key-newline", TINC_ANCHOR, TINC_ANCHOR + EXIT_ADDRESS, "contains the control character \\n"),
    ("exit-key-shell", TINC_ANCHOR, TINC_ANCHOR + EXIT_ADDRESS, "is not a WireGuard public key"),
    ("exit-key-short", TINC_ANCHOR, TINC_ANCHOR + EXIT_ADDRESS, "is not a WireGuard public key"),
    ("exit-endpoint-option", TINC_ANCHOR, TINC_ANCHOR + EXIT_ADDRESS, "names neither a DNS name nor an IP address"),
    ("exit-endpoint-space", TINC_ANCHOR, TINC_ANCHOR + EXIT_ADDRESS, "is not HOST:PORT"),
    ("exit-endpoint-one-megabyte", TINC_ANCHOR, TINC_ANCHOR + EXIT_ADDRESS, "bytes)"),
    ("exit-address-in-mesh", TINC_ANCHOR, TINC_ANCHOR + "    exit_address: ⟨10.99.0.7/32\n", "lies in domain 'ffx'"),
    ("exit-address-missing", "  - name: gw1\n", "  - name: ⟨gw1\n", "has no exit_address"),
    # wireguard: the peers path is read on the admin's machine, the gateway's key lands in Gluon's site.conf
    ("wireguard-peers-newline", WG_ANCHOR, WG_ANCHOR + WG_SEED + '    wireguard: {peers: ⟨"nodes\\n[Peer]"}\n', "contains the control character \\n"),
    ("wireguard-peers-missing", WG_ANCHOR, WG_ANCHOR + WG_SEED + '    wireguard: {peers: ⟨"../no/such/folder"}\n', "does not exist"),
    ("wireguard-without-seed", WG_ANCHOR, WG_ANCHOR + '    wireguard: ⟨{peers: ../../../site-examples/wireguard-nodes}\n', "add 'domain_seed'"),
    ("wireguard-port-fastd", WG_ANCHOR, WG_ANCHOR + WG_SEED + '    wireguard: {port: ⟨10000, peers: ../../../site-examples/wireguard-nodes}\n', "collides with the fastd port"),
    ("wireguard-gateway-key-shell", TINC_ANCHOR, TINC_ANCHOR + '    wireguard_public_key: ⟨"$(reboot)"\n', "is not a WireGuard public key"),
]
# The exit block each exit case appends to the file (the bad value, if it is there, marked).
EXIT_TAILS = {
    "exit-key-newline": EXIT % ('"198.51.100.7:51820"', '⟨"%s\\n[WireGuardPeer]"' % WG_KEY),
    "exit-key-shell": EXIT % ('"198.51.100.7:51820"', '⟨"$(reboot)"'),
    "exit-key-short": EXIT % ('"198.51.100.7:51820"', '⟨"%s"' % WG_KEY[:40]),
    "exit-endpoint-option": EXIT % ('⟨"-oProxyCommand=reboot:51820"', '"%s"' % WG_KEY),
    "exit-endpoint-space": EXIT % ('⟨"exit.example.net 51820"', '"%s"' % WG_KEY),
    "exit-endpoint-one-megabyte": EXIT % ('⟨"' + MEGABYTE + '"', '"%s"' % WG_KEY),
    "exit-address-in-mesh": EXIT % ('"198.51.100.7:51820"', '"%s"' % WG_KEY),
    "exit-address-missing": EXIT % ('"198.51.100.7:51820"', '"%s"' % WG_KEY),
}


def main():
    folder = os.path.join(ROOT, "Tests/hostile/site")
    os.makedirs(folder, exist_ok=True)
    for old in os.listdir(folder):
        os.remove(os.path.join(folder, old))
    rows = ["# Hostile and careless site files (issue 20): each is site-examples/single-gateway.yaml with one bad value.",
            "# Written by Tests/tools/generate-site-corpus.py; `where` is the LINE:COL of the bad value.",
            "# name\targs\texit\twhere\tmessage"]
    names = set()
    for name, old, new, message in CASES:
        assert name not in names, name
        names.add(name)
        assert old in BASE, (name, old)
        text = BASE.replace(old, new, 1) + ("\n" + EXIT_TAILS[name] if name in EXIT_TAILS else "")
        marker = text.index("⟨")
        line = text.count("\n", 0, marker) + 1
        column = marker - (text.rfind("\n", 0, marker) + 1) + 1
        text = text.replace("⟨", "", 1)
        with open(os.path.join(folder, name + ".yaml"), "w", encoding="utf-8") as out:
            out.write(text)
        rows.append("\t".join([name, "plan --offline --site {}", "1", "%d:%d" % (line, column), message]))
    with open(os.path.join(ROOT, "Tests/hostile/site.tsv"), "w", encoding="utf-8") as out:
        out.write("\n".join(rows) + "\n")
    print(len(CASES), "cases")


main()
