import Foundation

extension RulesetParser {
    /// Reads and parses a saved ruleset; an unreadable file is reported like a parse error at line 0.
    public static func parse(contentsOf path: String, family: IPFamily? = nil) throws(RulesetParseError) -> Ruleset {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw RulesetParseError(file: path, line: 0, column: 0, message: "cannot read the file (\(error.localizedDescription))")
        }
        return try parse(text, file: path, family: family)
    }
}
