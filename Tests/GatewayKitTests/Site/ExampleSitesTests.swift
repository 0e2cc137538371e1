import Foundation
import Testing
@testable import GatewayKit
import TestSupport

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
