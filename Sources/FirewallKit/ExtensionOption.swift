/// One `--option value…` of a module or target, kept verbatim so nothing the parser does not understand is lost.
public struct ExtensionOption: Hashable, Sendable {
    /// Without the leading dashes: `seconds` for `--seconds`.
    public var name: String
    public var negated: Bool
    public var values: [String]

    public init(_ name: String, negated: Bool = false, values: [String] = []) {
        self.name = name
        self.negated = negated
        self.values = values
    }

    /// The single value of a one-argument option, the common case.
    public var value: String? { values.count == 1 ? values[0] : nil }
}

extension Array where Element == ExtensionOption {
    func first(named name: String) -> ExtensionOption? { first { $0.name == name } }
}
