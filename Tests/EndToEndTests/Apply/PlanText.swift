extension String {
    /// The text with every run of spaces as one: plan lines pad their columns, and a check names a line by its words.
    var squeezingSpaces: String {
        split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
            .joined(separator: "\n")
    }
}
