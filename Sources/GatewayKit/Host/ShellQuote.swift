import Foundation

/// POSIX shell single-quoting, for paths and scripts that become one word of a command line.
public enum ShellQuote {
    /// `it's` → `'it'\''s'`; safe for every byte but NUL, which no argument can carry anyway.
    public static func quote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
