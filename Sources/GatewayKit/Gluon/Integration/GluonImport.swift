/// The site file `gluon import` writes, and what the admin must know about it.
public struct GluonImport: Sendable, Equatable {
    /// The site YAML, with comments saying where values came from and marked placeholders.
    public var yaml: String
    /// Lines for stderr: what gwsetup does not provide (WireGuard), placeholders to fill in, firmware values the site cannot express.
    public var notes: [String]
    /// Lines of `yaml` holding a placeholder that keeps the file from loading until it is filled in.
    public var blockingPlaceholderLines: [Int]
}

/// A value for the site file, or the firmware's unusable text kept in its place with the reason.
enum ImportedValue: Equatable {
    /// YAML text, ready to write.
    case value(String)
    /// YAML text that will not load, and why it is there; the admin replaces it.
    case placeholder(String, why: String)
}
