extension ProbeScript {
    /// Mode, owner and sha256 of each shipped program, as the F and H records of files: a program's bytes never come back.
    static func binaryLines(_ paths: [String]) -> [String] {
        guard !paths.isEmpty else { return [] }
        return [
            "set -- " + paths.map(ShellQuote.quote).joined(separator: " "),
            #"stat -L --printf 'F\t%n\t%a\t%U\t%G\n' -- "$@" 2>/dev/null"#,
            #"sha256sum -- "$@" 2>/dev/null | sed -n 's/^\([0-9a-f]\{64\}\)  \(.*\)$/H\t\2\t\1/p'"#,
        ]
    }
}
