/// The probe's one line about the backbone's host key: the public half's base64 (record `Y`), printed only when both
/// halves exist. The private half is tested for size, never read.
enum TincKeyProbe {
    static let line = #"[ -s \#(TincKey.privatePath) ] && [ -s \#(TincKey.publicPath) ] && printf 'Y\t%s\n' "$(grep -v -e '^-----' -e '^$' \#(TincKey.publicPath) | tr -d '\n')""#
}
