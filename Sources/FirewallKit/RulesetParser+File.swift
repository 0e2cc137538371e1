import Foundation
import GatewayBase

extension RulesetParser {
    /// Reads and parses a saved ruleset; an unreadable file is reported like a parse error at line 0, bytes that are
    /// not UTF-8 at their line and column.
    public static func parse(contentsOf path: String, family: IPFamily? = nil) throws(RulesetParseError) -> Ruleset {
        let data: Data
        do {
            data = try FileAccess.data(at: path)
        } catch {
            throw RulesetParseError(file: path, line: 0, column: 0, message: "cannot read the file (\(error.reason))")
        }
        let text: String
        do {
            text = try FileAccess.decodeUTF8(data)
        } catch {
            throw RulesetParseError(file: path, line: error.line, column: error.column, message: "not UTF-8 text; an iptables-save dump is ASCII")
        }
        return try parse(text, file: path, family: family)
    }
}
