import Foundation
import GatewayKit

/// libFuzzer's entry: one `--out` plan file through the decoder that `apply --plan` uses, and back out.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPlan(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let plans = try? PlanCoding.decode(Data(bytes: data, count: size), source: "plan.json") else { return 0 }
    _ = try? PlanCoding.encode(plans)
    return 0
}
