/// The shell functions every apply script starts with: the host-side lock, the step runner, and one function per
/// kind of step. Kept apart from the step list so both can be read on their own.
enum ApplyScriptFunctions {
    static let lockPath = "/run/gwsetup.lock"
    static let policyPath = "/usr/sbin/policy-rc.d"
    /// Marks the policy-rc.d gwsetup writes, so only ours is ever removed (also one a killed run left behind).
    static let policyMarker = "# gwsetup: no daemon starts while apt installs; apply starts each once its config is in place"
    static let backupDirectory = "/var/lib/gwsetup/backup"

    /// `holder` names this run in the lock file, for the message a concurrent apply gets.
    static func preamble(holder: String) -> String {
        #"""
        set -u
        umask 022
        export LC_ALL=C DEBIAN_FRONTEND=noninteractive PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
        exec 8>&1
        lock=\#(lockPath)
        pending=\#(ProbeScript.pendingTriggersPath)
        policy=\#(policyPath)
        marker=\#(ShellQuote.quote(policyMarker))
        exec 9>>"$lock" || exit 70
        if ! flock -n 9; then printf '@locked\t%s\n' "$(head -c 400 "$lock" | tr '\t\n' '  ')"; exit 75; fi
        printf 'pid %s, user %s, since %s, %s' "$$" "${SUDO_USER:-$(id -un)}" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \#(ShellQuote.quote(holder)) > "$lock"
        own_policy() { [ -f "$policy" ] && grep -qF "$marker" "$policy"; }
        own_policy && rm -f "$policy"
        work=$(mktemp -d /run/gwsetup-apply.XXXXXX) || exit 70
        armed=
        cleanup() { rm -rf "$work"; own_policy && rm -f "$policy"; [ -z "$armed" ] || gw_firewall_rearm >/dev/null 2>&1; : > "$lock"; }
        trap cleanup EXIT
        trap 'exit 129' HUP
        trap 'exit 130' INT
        trap 'exit 143' TERM
        # gwsetup gone (killed, connection lost): the next progress line fails, and the EXIT cleanup still runs.
        trap 'exit 141' PIPE
        cat > "$work/payload" || exit 70
        # The uptime clock read by a builtin: two forks of date per step cost seconds in all under emulation.
        now_ms() { read -r up _ < /proc/uptime; now=$(( ${up%.*} * 1000 + 1${up#*.} * 10 - 1000 )); }
        step() {
            id=$1; shift
            now_ms; t0=$now
            "$@" >"$work/out" 2>"$work/err"
            st=$?
            now_ms; ms=$(( now - t0 ))
            if [ "$st" -eq 0 ]; then printf '@done\t%s\t%s\n' "$id" "$ms"; return 0; fi
            printf '@failed\t%s\t%s\t%s\t' "$id" "$st" "$ms"
            { cat "$work/err"; [ -s "$work/err" ] || tail -n 20 "$work/out"; } | tail -c 8000 | base64 -w0
            echo
            exit 1
        }
        gw_packages() {
            [ -e "$policy" ] || { printf '#!/bin/sh\n%s\nexit 101\n' "$marker" > "$policy" && chmod 755 "$policy"; } || return
            dpkg --configure -a || return
            opts='-y -q -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold'
            if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -1440 2>/dev/null | head -n 1)" ]; then
                apt-get -q update || return
            fi
            # `--`: a package name can never be read as an apt option.
            apt-get install $opts -- "$@" || { apt-get -q update && apt-get install $opts -- "$@"; }
            st=$?
            own_policy && rm -f "$policy"
            return $st
        }
        gw_user() {
            if id -u -- "$1" >/dev/null 2>&1; then usermod -a -G "$2" -- "$1"
            else useradd --create-home --shell /bin/bash --groups "$2" -- "$1" && usermod -p '*' -- "$1"; fi
        }
        gw_fastd_key() {
            d=${2%/*}
            if [ ! -s "$2" ]; then
                mkdir -p "$d" && t=$(umask 077 && mktemp "$d/.gwsetup.XXXXXX") || return
                s=$(fastd --generate-key --machine-readable) && [ ${#s} -eq 64 ] && printf 'secret "%s";\n' "$s" > "$t" && mv -f "$t" "$2" \
                    || { s=; rm -f "$t"; echo "fastd --generate-key failed" >&2; return 1; }
                s=
            fi
            k=$(fastd --config "$2" --show-key --machine-readable) || return
            printf '@key\t%s\t%s\n' "$1" "$k" >&8
        }
        # The copy of a secret gwsetup is about to replace, 0600 whatever the old file's mode, under the backup folder (0700).
        gw_backup() {
            [ -f "$1" ] || return 0
            { [ -d "\#(backupDirectory)${1%/*}" ] || { mkdir -p "\#(backupDirectory)${1%/*}" && chmod 700 \#(backupDirectory); }; } \
                && cp -p "$1" "\#(backupDirectory)$1" && chmod 600 "\#(backupDirectory)$1"
        }
        # A secret the site names: cut from the payload into a 0600 file, kept only if fastd shows the planned public key.
        gw_fastd_secret() {
            d=${2%/*}
            mkdir -p "$d" && t=$(umask 077 && mktemp "$d/.gwsetup.XXXXXX") || return
            dd if="$work/payload" of="$t" iflag=skip_bytes,count_bytes skip="$3" count="$4" bs=64K status=none || { rm -f "$t"; return 1; }
            k=$(fastd --config "$t" --show-key --machine-readable 2>/dev/null)
            if [ "$k" != "$5" ]; then rm -f "$t"; echo "the secret for fastd instance $1 does not have the planned public key $5" >&2; return 1; fi
            # A secret it replaces is kept in the backup folder (0700), never deleted.
            gw_backup "$2" || { rm -f "$t"; return 1; }
            chmod 600 "$t" && mv -f "$t" "$2" || { rm -f "$t"; return 1; }
            printf '@key\t%s\t%s\n' "$1" "$k" >&8
        }
        gw_record_triggers() {
            mkdir -p "${pending%/*}" && t=$(mktemp "${pending%/*}/.pending.XXXXXX") || return
            { [ -f "$pending" ] && cat "$pending"; printf '%s\n' "$@"; } | awk 'NF && !seen[$0]++' > "$t" && mv -f "$t" "$pending"
        }
        gw_file() {
            dest=$1; d=${dest%/*}
            if [ ! -d "$d" ]; then
                mkdir -p "$d" || return
                if [ "$3" != root ]; then chown "$3:$4" "$d" && chmod 700 "$d" || return; fi
            fi
            # Candidates a hard-killed run left behind; only an apply holding the lock writes them. Every process
            # spared here is tens of milliseconds per file on a small droplet, so builtins test before anything runs.
            for f in "$d"/.gwsetup.??????; do [ ! -e "$f" ] || rm -f "$f"; done
            t=$(mktemp "$d/.gwsetup.XXXXXX") || return
            dd if="$work/payload" of="$t" iflag=skip_bytes,count_bytes skip="$5" count="$6" bs=64K status=none || { rm -f "$t"; return 1; }
            h=$(sha256sum < "$t")
            if [ "${h%% *}" != "$7" ]; then rm -f "$t"; echo "the new $dest arrived damaged" >&2; return 1; fi
            chmod "$2" "$t" || { rm -f "$t"; return 1; }
            # mktemp made it root's; other owners get theirs.
            [ "$3:$4" = root:root ] || chown "$3:$4" "$t" || { rm -f "$t"; return 1; }
            if [ -n "$8" ]; then
                FILE=$t NAME=${dest##*/} sh -c "$8" || { st=$?; rm -f "$t"; echo "$dest: the daemon's check rejected the new file; the old one stays" >&2; return $st; }
            fi
            # Only the original of a file gwsetup did not write ($9), and only once: removal puts that one back.
            if [ -f "$dest" ] && [ -n "${9:-}" ] && [ ! -e "\#(backupDirectory)$dest" ]; then
                { [ -d "\#(backupDirectory)$d" ] || { mkdir -p "\#(backupDirectory)$d" && chmod 700 \#(backupDirectory); }; } \
                    && cp -p "$dest" "\#(backupDirectory)$dest" || { rm -f "$t"; return 1; }
            fi
            mv -f "$t" "$dest"
        }
        # The closed set of host actions a trigger may ask for; no trigger carries a command line.
        gw_daemon_reload() { systemctl daemon-reload; }
        \#(linkDelete)
        gw_timezone() {
            case $1 in ''|/*|*..*|-*) echo "'$1' is not a timezone name" >&2; return 1 ;; esac
            z=/usr/share/zoneinfo/$1
            [ -f "$z" ] || { echo "$z does not exist; is tzdata installed?" >&2; return 1; }
            [ "$(readlink /etc/localtime)" = "$z" ] && return 0
            ln -sfn "$z" /etc/.localtime.gwsetup && mv -fT /etc/.localtime.gwsetup /etc/localtime
        }
        gw_module() { modprobe -a "$@"; }
        gw_sysctl() { sysctl -q -w "$@"; }
        gw_journal() { journalctl -u "$1" -n 8 --no-pager -o cat >&2; }
        # Only units not yet enabled: the packages' own scripts enable theirs, and enabling one again runs update-rc.d
        # for its SysV script, seconds per unit under emulation.
        gw_enable() {
            todo=
            for u; do
                case $(systemctl is-enabled -- "$u" 2>/dev/null) in
                    \#(UnitFact.enabledStates.joined(separator: "|"))) ;;
                    *) todo="$todo $u" ;;
                esac
            done
            [ -z "$todo" ] || systemctl enable -- $todo
        }
        # A drained gateway's DHCP server and radvd stay as the agent left them; it starts them with their new files.
        gw_held() { [ -e \#(ShellQuote.quote(LiveNetwork.drainedMarker)) ] && case $1 in \#(DesiredState.unitsHeldByDrain.sorted().joined(separator: "|"))) true ;; *) false ;; esac; }
        gw_start() { gw_held "$1" && return 0; systemctl start -- "$1" || { st=$?; gw_journal "$1"; return $st; }; }
        gw_restart() { gw_held "$1" && return 0; systemctl restart -- "$1" || { st=$?; gw_journal "$1"; return $st; }; }
        gw_reload() { gw_held "$1" && return 0; systemctl reload-or-restart -- "$1" || { st=$?; gw_journal "$1"; return $st; }; }
        gw_clear_triggers() { rm -f "$pending"; }

        """#
    }

    /// A link gwsetup's netdev files made, gone whether a changed routing algorithm recreates it or the site dropped it.
    static let linkDelete = #"gw_link_delete() { [ ! -e "/sys/class/net/$1" ] || ip link delete dev "$1"; }"#
}
