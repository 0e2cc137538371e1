/// The apply step that makes the backbone's host key: `tincd -K` in a private scratch folder beside the key's place
/// (so no config of a real net is read), then both halves moved into place, the public one last to go missing.
/// Only the public half's base64 leaves the gateway, on an `@tinc` line.
enum TincKeyFunctions {
    static let bits = 2048

    static let text = #"""
        gw_tinc_key() {
            if [ ! -s "$1" ] || [ ! -s "$2" ]; then
                mkdir -p "${1%/*}" && d=$(mktemp -d "${1%/*}/.gwsetup-key.XXXXXX") || return
                if ! tincd -c "$d" -K\#(bits) </dev/null >/dev/null 2>"$d/log" || [ ! -s "$d/rsa_key.priv" ] || [ ! -s "$d/rsa_key.pub" ]; then
                    grep -v '^[.+*-]*$' "$d/log" | tail -n 3 >&2; rm -rf "$d"; echo "tincd -K failed" >&2; return 1
                fi
                chmod 600 "$d/rsa_key.priv" && chmod 644 "$d/rsa_key.pub" && mv -f "$d/rsa_key.pub" "$2" && mv -f "$d/rsa_key.priv" "$1" \
                    || { rm -rf "$d"; return 1; }
                rm -rf "$d"
            fi
            k=$(grep -v -e '^-----' -e '^$' "$2" | tr -d '\n')
            [ -n "$k" ] || { echo "$2 holds no public key" >&2; return 1; }
            printf '@tinc\t%s\n' "$k" >&8
        }

        """#
}
