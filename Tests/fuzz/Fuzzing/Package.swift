// swift-tools-version: 6.2
// libFuzzer harnesses for gwsetup's parsers. Built only by Tests/fuzz/run.sh (with `--sanitize fuzzer`
// in its own scratch path), so the main package's `swift build` and `swift test` never see them.
import Foundation
import PackageDescription

/// A path dependency is known by its folder's name (`main`, `fuzz`, `gwsetup` …), so ask the file system.
let mainPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().lastPathComponent.lowercased()

/// One executable per parser: libFuzzer runs one `LLVMFuzzerTestOneInput` per process.
func fuzzer(_ name: String) -> Target {
    .executableTarget(
        name: name,
        dependencies: [.product(name: "GatewayKit", package: mainPackage)],
        swiftSettings: [.unsafeFlags(["-parse-as-library"])]
    )
}

let package = Package(
    name: "gwsetup-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "../../..")],
    targets: ["FuzzSiteYAML", "FuzzGluon", "FuzzRuleset", "FuzzPlan", "FuzzManifest"].map(fuzzer)
)
