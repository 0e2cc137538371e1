/// The one read-only shell script that gathers a gateway's facts in a single round trip.
///
/// Output is line-framed: a header, one tab-separated record per fact, and an end marker, so a cut-off or
/// foreign output is detected instead of being read as "nothing installed". Multi-line facts (file contents,
/// rulesets) come one prefixed record per line. Every file is covered by one `stat` and one `sha256sum` and its
/// content read by shell builtins: on a small droplet each extra process costs more than the whole transfer.
public enum ProbeScript {
    static let header = "gwsetup-probe 1"
    static let trailer = "gwsetup-probe end"
    /// The state file where apply records restarts it still owes; one trigger per line.
    public static let pendingTriggersPath = "/var/lib/gwsetup/pending-triggers"

    public static func make(for request: ProbeRequest) -> String {
        var lines = [
            "export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "echo \(ShellQuote.quote(header))",
            // Installed packages only: `ii` is "install ok installed"; removed-but-configured ones are not there.
            #"dpkg-query -W -f='${db:Status-Abbrev}\t${Package}\t${Version}\n' 2>/dev/null | awk -F'\t' '$1 ~ /^ii/ { print "P\t" $2 "\t" $3 }'"#,
            // With the UID: an admin may not be an account the system already has below 1000.
            #"getent passwd | awk -F: '{ print "A\t" $1 "\t" $3 }'"#,
        ]
        if request.timezone {
            lines.append(#"if [ -L /etc/localtime ]; then printf 'L\t%s\n' "$(readlink /etc/localtime)"; else echo L; fi"#)
        }
        if !request.files.isEmpty {
            lines += [
                "set -- " + request.files.map(ShellQuote.quote).joined(separator: " "),
                #"stat -L --printf 'F\t%n\t%a\t%U\t%G\n' -- "$@" 2>/dev/null"#,
                #"sha256sum -- "$@" 2>/dev/null | sed -n 's/^\([0-9a-f]\{64\}\)  \(.*\)$/H\t\2\t\1/p'"#,
                #"for p; do [ -f "$p" ] || continue; while IFS= read -r l || [ -n "$l" ]; do printf 'c\t%s\t%s\n' "$p" "$l"; done < "$p"; done"#,
            ]
        }
        lines += binaryLines(request.binaries)
        if !request.units.isEmpty {
            // One systemctl for every unit; blocks come back in argument order, separated by blank lines.
            let units = request.units.map(ShellQuote.quote).joined(separator: " ")
            lines.append(#"systemctl show -p LoadState -p UnitFileState -p ActiveState -- \#(units) 2>/dev/null | awk 'BEGIN { n = 0 } /^$/ { n++; next } { print "U\t" n "\t" $0 }'"#)
        }
        if !request.sysctlKeys.isEmpty {
            // One awk reads every key: /proc/sys answers a whole value to one read only (so no shell `read`), and a
            // key that does not exist is left out first (mawk stops at a file it cannot open).
            let paths = request.sysctlKeys.map { ShellQuote.quote(ProbeRequest.procPath(ofSysctl: $0)) }.joined(separator: " ")
            lines.append(#"set --; for p in \#(paths); do [ -r "$p" ] && set -- "$@" "$p"; done"#)
            lines.append(#"[ $# -gt 0 ] && awk 'FNR == 1 { print "S\t" FILENAME "\t" $0 }' "$@""#)
        }
        lines.append(#"awk '{ print "M\t" $1 }' /proc/modules 2>/dev/null"#)
        for module in request.modules {
            // Built into the kernel counts as loaded: such a module is never in /proc/modules.
            lines.append(#"[ -d \#(ShellQuote.quote("/sys/module/" + module)) ] && printf 'M\t%s\n' \#(ShellQuote.quote(module))"#)
        }
        for (index, key) in request.fastdKeys.enumerated() {
            // The secret stays on the host: fastd derives the public key there and only that is printed.
            lines.append(#"[ -s \#(ShellQuote.quote(key.secretPath)) ] && command -v fastd >/dev/null && k=$(fastd --config \#(ShellQuote.quote(key.secretPath)) --show-key --machine-readable 2>/dev/null) && printf 'K\t%s\t%s\n' \#(index) "$k""#)
        }
        if request.tincKey { lines.append(TincKeyProbe.line) }
        lines += request.wireguardKeys.map(WireGuardKeyProbe.line)
        for (tag, tool) in [("R4", "iptables-save"), ("R6", "ip6tables-save")] {
            // Comments carry a timestamp and chain counters move with traffic: both would make every plan stale. A
            // comment stays as a bare `#`, so verify cites the line numbers the gateway's own iptables-save shows.
            let lineTag = tag.lowercased()
            lines.append(#"if command -v \#(tool) >/dev/null; then echo \#(tag); \#(tool) 2>/dev/null | sed -e 's/^#.*/#/' -e 's/\[[0-9]*:[0-9]*\]$/[0:0]/' -e 's/^/\#(lineTag)\t/'; fi"#)
        }
        lines += request.network?.scriptLines() ?? []
        if let ownership = request.ownership { lines += ManifestProbe.lines(ownership) }
        lines.append(#"[ -f \#(pendingTriggersPath) ] && awk 'NF { print "T\t" $0 }' \#(pendingTriggersPath)"#)
        lines.append("echo \(ShellQuote.quote(trailer))")
        return lines.joined(separator: "\n") + "\n"
    }
}
