/// The one read-only shell script that gathers a gateway's facts in a single round trip.
///
/// Output is line-framed: a header, one tab-separated record per fact, and an end marker, so a cut-off or
/// foreign output is detected instead of being read as "nothing installed". Anything that could contain tabs or
/// newlines (file contents, rulesets) travels base64-encoded; paths travel as indexes into the request.
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
            #"getent passwd | awk -F: '{ print "A\t" $1 }'"#,
            #"f() { [ -f "$2" ] || return 0; h=$(sha256sum < "$2") || return 0; printf 'F\t%s\t%s\t%s\n' "$1" "${h%% *}" "$(stat -L --printf '%a\t%U\t%G' "$2")""#
                + #"; if [ "$(stat -L -c %s "$2")" -le \#(request.contentLimit) ]; then printf 'C\t%s\t' "$1"; base64 -w0 < "$2"; echo; fi; }"#,
        ]
        for (index, path) in request.files.enumerated() {
            lines.append("f \(index) \(ShellQuote.quote(path))")
        }
        if !request.units.isEmpty {
            // One systemctl for every unit; blocks come back in argument order, separated by blank lines.
            let units = request.units.map(ShellQuote.quote).joined(separator: " ")
            lines.append(#"systemctl show -p LoadState -p UnitFileState -p ActiveState -- \#(units) 2>/dev/null | awk 'BEGIN { n = 0 } /^$/ { n++; next } { print "U\t" n "\t" $0 }'"#)
        }
        for (index, key) in request.sysctlKeys.enumerated() {
            let path = "/proc/sys/" + key.replacingOccurrences(of: ".", with: "/")
            lines.append(#"v=$(cat \#(ShellQuote.quote(path)) 2>/dev/null) && printf 'S\t%s\t%s\n' \#(index) "$(printf '%s' "$v" | tr '\t\n' '  ')""#)
        }
        lines.append(#"awk '{ print "M\t" $1 }' /proc/modules"#)
        for module in request.modules {
            // Built into the kernel counts as loaded: such a module is never in /proc/modules.
            let name = ShellQuote.quote(module)
            lines.append(#"[ -d \#(ShellQuote.quote("/sys/module/" + module)) ] && ! awk -v m=\#(name) '$1 == m { f = 1 } END { exit !f }' /proc/modules && printf 'M\t%s\n' \#(name)"#)
        }
        for (index, key) in request.fastdKeys.enumerated() {
            // The secret stays on the host: fastd derives the public key there and only that is printed.
            lines.append(#"[ -s \#(ShellQuote.quote(key.secretPath)) ] && command -v fastd >/dev/null && k=$(fastd --config \#(ShellQuote.quote(key.secretPath)) --show-key --machine-readable 2>/dev/null) && printf 'K\t%s\t%s\n' \#(index) "$k""#)
        }
        for (tag, tool) in [("R4", "iptables-save"), ("R6", "ip6tables-save")] {
            // Comments carry a timestamp and chain counters move with traffic: both would make every plan stale.
            lines.append(#"if command -v \#(tool) >/dev/null; then printf '\#(tag)\t'; \#(tool) 2>/dev/null | sed -e '/^#/d' -e 's/\[[0-9]*:[0-9]*\]$/[0:0]/' | base64 -w0; echo; fi"#)
        }
        lines.append(#"[ -f \#(pendingTriggersPath) ] && awk 'NF { print "T\t" $0 }' \#(pendingTriggersPath)"#)
        lines.append("echo \(ShellQuote.quote(trailer))")
        return lines.joined(separator: "\n") + "\n"
    }
}
