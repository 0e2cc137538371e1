import Foundation
import GatewayKit

/// libFuzzer's entry: one site YAML through the loader (syntax, reader and validation), as `--site FILE` would.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSiteYAML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // The file loader refuses text that is not UTF-8 before parsing; do the same.
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return 0 }
    _ = try? SiteLoader.load(yaml: text, file: "fuzz.yaml")
    return 0
}
