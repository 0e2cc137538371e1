/// The apply step that makes a WireGuard key: `wg genkey` into a 0600 file beside the key's place, owned by
/// systemd-network (networkd reads it), then moved into place. Only the public half leaves, on a `@wireguard` line.
enum WireGuardKeyFunctions {
    static let text = #"""
        gw_wireguard_key() {
            if [ ! -s "$1" ]; then
                install -d -m 755 "${1%/*}" && d=$(mktemp -d "${1%/*}/.gwsetup-key.XXXXXX") || return
                if ! (umask 077 && wg genkey > "$d/key") || [ ! -s "$d/key" ]; then rm -rf "$d"; echo "wg genkey failed" >&2; return 1; fi
                chown systemd-network:systemd-network "$d/key" && chmod 600 "$d/key" && mv -f "$d/key" "$1" || { rm -rf "$d"; return 1; }
                rm -rf "$d"
            fi
            k=$(wg pubkey < "$1") && [ -n "$k" ] || { echo "$1 holds no WireGuard key" >&2; return 1; }
            printf '@wireguard\t%s\t%s\n' "$2" "$k" >&8
        }

        """#
}
