import Foundation
import Testing
@testable import GatewayKit

@Suite struct ExampleSitesTests {
    @Test func singleGatewayExampleLoads() throws {
        let loaded = try SiteLoader.load(path: TestPaths.example("single-gateway.yaml"))
        #expect(loaded.site.identity.code == "ffx")
        #expect(loaded.site.domains.map(\.bridgeInterface) == ["br-ffx"])
        #expect(loaded.site.gateways.first?.connection == .ssh(user: "root", host: "gw1.ffx.example", port: 22))
        #expect(loaded.warnings.isEmpty)
    }

    @Test func twoDomainExampleLoadsWithDefaultsAndSplitRanges() throws {
        let loaded = try SiteLoader.load(path: TestPaths.example("two-domains.yaml"))
        let site = loaded.site
        #expect(site.domains.map(\.code) == ["city", "rural"])
        #expect(site.gateways.map(\.connection) == [.ssh(user: "admin", host: "gw1.ffy.example", port: 2222), .ssh(user: "root", host: "gw2.ffy.example", port: 2222)])
        let city = try #require(site.domain("city"))
        let ranges = DHCPPool.ranges(for: city, in: site)
        #expect(ranges["gw1"]?.description == "10.40.1.0-10.40.31.255")
        #expect(ranges["gw2"]?.description == "10.40.32.0-10.40.63.255")
        #expect(loaded.warnings.map(\.message).contains { $0.contains("above 1406") } == false)
    }
}

/// Paths into the repository, found from this file so tests run from any working directory.
enum TestPaths {
    static var repository: String {
        var url = #filePath.split(separator: "/").dropLast()
        while !url.isEmpty, url.last != "Tests" { url = url.dropLast() }
        return "/" + url.dropLast().joined(separator: "/")
    }
    static func example(_ name: String) -> String { repository + "/site-examples/" + name }
    /// The gwsetup binary built beside this test bundle (whatever scratch path the build used).
    static var gwsetupBinary: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = bundle.deletingLastPathComponent()
        if directory.lastPathComponent == "MacOS" || directory.pathExtension == "xctest" { directory = directory.deletingLastPathComponent() }
        return directory.appendingPathComponent("gwsetup").path
    }
}
