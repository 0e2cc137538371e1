import GatewayBase
import FirewallKit

/// The shell scripts of a safe firewall load; POSIX sh plus iptables, coreutils and util-linux's flock.
extension FirewallRollback {
    private var d: String { ShellQuote.quote(stateDirectory) }

    private func file(_ family: IPFamily) -> String { ShellQuote.quote(rulesPaths[family]!) }

    /// Saves and arms; the apply then writes and loads the new rules itself (rule files its validator accepted, then
    /// the firewall unit's reload). `tables` are the tables the new rules hold, so a rollback clears new ones.
    public func armScript(tables: [IPFamily: [String]]) -> String {
        """
        \(header)
        tables_v4=\(ShellQuote.quote((tables[.ipv4] ?? []).joined(separator: " ")))
        tables_v6=\(ShellQuote.quote((tables[.ipv6] ?? []).joined(separator: " ")))
        \(armingScript)
        echo armed
        """
    }

    /// Restarts the countdown from now, once the apply that armed it ends: the admin gets the whole timeout to log
    /// in again however long the steps after the arming took. Does nothing once an outcome is in.
    public var rearmScript: String {
        """
        d=\(d)
        [ -s "$d/restore.sh" ] || exit 0
        exec 9>"$d/lock"
        flock 9
        [ -e "$d/outcome" ] && exit 0
        \(scheduler.arm(stateDirectory + "/restore.sh", after: timeoutSeconds, unit: rearmedUnit, stateDirectory: stateDirectory)) || exit 1
        \(scheduler.disarm(unit: unit, stateDirectory: stateDirectory))
        """
    }

    private var header: String {
        """
        set -u
        umask 077
        fail() { echo "$1" >&2; exit 1; }
        d=\(d)
        mkdir -p "$d" || fail "cannot create $d"
        """
    }

    /// Saves what a rollback restores, writes the restore script and starts its detached timer.
    private var armingScript: String {
        """
        \(savingScript)
        cat > "$d/restore.sh" <<'GWSETUP_RESTORE'
        \(restoreScript)
        GWSETUP_RESTORE
        \(scheduler.arm(stateDirectory + "/restore.sh", after: timeoutSeconds, unit: unit, stateDirectory: stateDirectory)) || fail "cannot arm the rollback timer; nothing was changed"
        """
    }

    /// Saves the live rules, adds an empty table for each table (in `$tables_v4`, `$tables_v6`) only the new rules have (so a rollback clears
    /// it), and keeps the current rule files (or notes that there were none).
    private var savingScript: String {
        let emptyTables = BuiltinChains.byTable.keys.sorted().map { table in
            let chains = BuiltinChains.byTable[table]!.map { ":\($0) ACCEPT [0:0]" }.joined(separator: "\\n")
            return "  \(table)) printf '*\(table)\\n\(chains)\\nCOMMIT\\n' ;;"
        }.joined(separator: "\n")
        return [IPFamily.ipv4, .ipv6].map { family in
            let v = family == .ipv4 ? "v4" : "v6"
            let save = family == .ipv4 ? "iptables-save" : "ip6tables-save"
            return """
                \(save) > "$d/saved.\(v)" || fail "\(save) failed; nothing was changed"
                for table in $tables_\(v); do
                  grep -qx "\\*$table" "$d/saved.\(v)" && continue
                  case "$table" in
                \(emptyTables)
                  esac >> "$d/saved.\(v)"
                done
                if [ -e \(file(family)) ]; then cp -p \(file(family)) "$d/file.\(v)" || fail "cannot keep a copy of \(rulesPaths[family]!)"; else rm -f "$d/file.\(v)"; fi
                """
        }.joined(separator: "\n")
    }

    /// What the timer runs: unless confirmed, restore the saved rules and files. Idempotent, and locked against confirm.
    var restoreScript: String {
        let files = [IPFamily.ipv4, .ipv6].map { family in
            let v = family == .ipv4 ? "v4" : "v6"
            return "if [ -e \"$d/file.\(v)\" ]; then cp -p \"$d/file.\(v)\" \(file(family)); else rm -f \(file(family)); fi"
        }.joined(separator: "\n")
        return """
            d=\(d)
            exec 9>"$d/lock"
            flock 9
            touch "$d/fired"
            [ -e "$d/outcome" ] && exit 0
            iptables-restore "$d/saved.v4"
            ip6tables-restore "$d/saved.v6"
            \(files)
            echo rolled-back > "$d/outcome"
            """
    }

    /// Run over a new connection: keeps the new rules and cancels the timer. Exit 4 if the timer was faster.
    public var confirmScript: String {
        """
        d=\(d)
        [ -d "$d" ] || { echo "no firewall change \(token) is pending" >&2; exit 1; }
        exec 9>"$d/lock"
        flock 9
        if [ "$(cat "$d/outcome" 2>/dev/null)" = rolled-back ]; then echo rolled-back; exit \(Self.tooLateStatus); fi
        echo confirmed > "$d/outcome"
        \(scheduler.disarm(unit: unit, stateDirectory: stateDirectory))
        \(scheduler.disarm(unit: rearmedUnit, stateDirectory: stateDirectory))
        echo confirmed
        """
    }
}
