/// The probe's one line about the exit tunnel's key: its public half (record `X`), derived on the gateway by
/// `wg pubkey`; the private half goes to wg's stdin and nowhere else.
enum ExitKeyProbe {
    static let line = #"[ -s \#(ExitKey.privatePath) ] && command -v wg >/dev/null && k=$(wg pubkey < \#(ExitKey.privatePath) 2>/dev/null) && printf 'X\t%s\n' "$k""#
}
