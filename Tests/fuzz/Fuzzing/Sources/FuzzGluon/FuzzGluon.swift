import Foundation
import GatewayKit
import GluonKit

/// libFuzzer's entry: one Lua table through the parser, then as a single-domain site and as site plus domain file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGluon(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // The file loader refuses text that is not UTF-8 before parsing; do the same.
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
    guard let document = try? LuaTableParser.parse(text, file: "site.conf") else { return 0 }
    _ = try? GluonSiteLoader.assemble(site: document, domains: [])
    _ = try? GluonSiteLoader.assemble(site: document, domains: [(code: "dom0", document: document)])
    return 0
}
