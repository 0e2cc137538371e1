import Foundation
import GatewayKit
import FirewallKit

/// libFuzzer's entry: one iptables-save dump through the parser, then the normal form and printer that verify uses.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRuleset(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // The file loader refuses text that is not UTF-8 before parsing; do the same.
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
    guard let ruleset = try? RulesetParser.parse(text, file: "rules.v4") else { return 0 }
    _ = RulesetPrinter.print(ruleset.normalized)
    return 0
}
