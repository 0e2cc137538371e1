/// The probe's line about one WireGuard key the gateway makes: its public half (record `X ROLE KEY`), derived on the
/// gateway by `wg pubkey`; the private half goes to wg's stdin and nowhere else.
enum WireGuardKeyProbe {
    static func line(_ role: WireGuardKey.Role) -> String {
        let path = WireGuardKey.privatePath(role)
        return #"[ -s \#(path) ] && command -v wg >/dev/null && k=$(wg pubkey < \#(path) 2>/dev/null) && printf 'X\t\#(role.rawValue)\t%s\n' "$k""#
    }
}
