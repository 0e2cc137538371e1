/// ANSI colour for the human printers, written once; whether to colour (a terminal, no NO_COLOR) is the caller's call.
public struct TerminalStyle: Sendable, Equatable {
    public var colors: Bool

    public init(colors: Bool) {
        self.colors = colors
    }

    /// `text` in the SGR colour `code` (`32` green, `1;31` bold red), or as is without colours.
    public func paint(_ text: String, _ code: String) -> String {
        colors ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

/// A printer for people: it paints through ``TerminalStyle`` when its caller asked for colours.
public protocol ColoredPrinter {
    var colors: Bool { get }
}

extension ColoredPrinter {
    func paint(_ text: String, _ code: String) -> String { TerminalStyle(colors: colors).paint(text, code) }
}
