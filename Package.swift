// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "gwsetup",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gwsetup", targets: ["gwsetup"]),
        .executable(name: "gwsetup-agent", targets: ["gwsetup-agent"]),
        .library(name: "GatewayKit", targets: ["GatewayKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        // Raw deflate for respondd answers; zlib1g is on every Debian, so the agent links it dynamically.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Arrows run one way: gwsetup → GatewayKit → FirewallKit, GluonKit and AgentKit → GatewayBase; nothing back
        // (DependencyDirectionTests holds every target to it).
        .target(name: "GatewayBase"),
        .target(name: "FirewallKit", dependencies: ["GatewayBase"]),
        .target(name: "GluonKit", dependencies: ["GatewayBase"]),
        .target(
            name: "GatewayKit",
            dependencies: [
                "GatewayBase",
                "FirewallKit",
                "GluonKit",
                "AgentKit",
                "CSystemd",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "gwsetup",
            dependencies: [
                "GatewayKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The gateway agent: only GatewayBase, libsystemd and zlib (both on every Debian), so the binary shipped to
        // every gateway stays small.
        .target(name: "AgentKit", dependencies: ["GatewayBase", "CSystemd", "CZlib"]),
        .executableTarget(name: "gwsetup-agent", dependencies: ["AgentKit"]),
        .executableTarget(
            name: "gwbench",
            dependencies: ["GatewayKit"]
        ),
        // What every test target shares: where the repository and the built binary are, and a daemon spawner.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "GatewayKitTests",
            dependencies: ["GatewayKit", "GatewayBase", "FirewallKit", "GluonKit", "AgentKit", "TestSupport", "gwsetup", .product(name: "Yams", package: "Yams")]
        ),
        .testTarget(name: "AgentKitTests", dependencies: ["AgentKit", "GatewayBase", "GatewayKit", "TestSupport"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["GatewayKit", "GatewayBase", "TestSupport", "gwsetup", .product(name: "Logging", package: "swift-log"),
                           .product(name: "Crypto", package: "swift-crypto")],
            // Sites and templates the tests hand to gwsetup by path, not resources of the test bundle.
            exclude: ["Fixtures"]
        ),
    ]
)
