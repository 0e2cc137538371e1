/// The probe's part that reads the ownership manifest: framed like the rulesets, one `o` record per line, cut at a
/// size no manifest of gwsetup's reaches (the parser then refuses it whole).
enum ManifestProbe {
    static func lines(_ policy: OwnershipPolicy) -> [String] {
        let path = ShellQuote.quote(policy.manifestPath)
        // The trailing echo ends a last line without newline, so the next record starts on its own line.
        return [#"if [ -f \#(path) ]; then echo O; head -c \#(OwnershipManifest.maxBytes + 1) \#(path) | sed 's/^/o\t/'; echo; fi"#]
    }
}

extension HostFacts {
    /// Believes of the manifest's text only what `policy` says gwsetup could have written; the rest becomes warnings.
    mutating func readManifest(_ lines: [Substring]?, policy: OwnershipPolicy?, gateway: String) {
        guard let policy, let lines else { return }
        let (manifest, warnings) = OwnershipManifest.parse(lines.joined(separator: "\n"), policy: policy, systemAccounts: systemAccounts, gateway: gateway)
        self.manifest = manifest
        self.warnings += warnings
    }
}
