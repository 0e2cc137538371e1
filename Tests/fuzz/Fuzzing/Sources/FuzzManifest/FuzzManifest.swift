import Foundation
import GatewayKit

/// libFuzzer's entry: one gateway manifest through the reader the probe uses; whatever survives must be gwsetup's.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let text = String(data: Data(bytes: data, count: size), encoding: .utf8) else { return 0 }
    let (manifest, _) = OwnershipManifest.parse(text, policy: .gateway, systemAccounts: [:], gateway: "gw1")
    let policy = OwnershipPolicy.gateway
    if !(manifest.files.allSatisfy { policy.ownsFile($0.path) } && manifest.units.allSatisfy(policy.ownsUnit)
        && manifest.users.allSatisfy { policy.ownsUser($0, systemAccounts: [:]) } && manifest.fastdSecrets.allSatisfy(policy.ownsFastdSecret)) {
        fatalError("the manifest reader kept a name gwsetup does not write")
    }
    return 0
}
