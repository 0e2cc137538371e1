import Foundation
import GatewayKit

/// Measures parser, printer and evaluator speed by hand: `swift run -c release gwbench [FILE…]`.
@main
struct GWBench {
    static func main() throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--print" {
            for path in arguments.dropFirst() {
                let ruleset = try RulesetParser.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
                print(RulesetPrinter.print(ruleset), terminator: "")
            }
            return
        }
    }
}
