import Testing
@testable import GatewayKit

/// Builds sites with many gateways in one domain, the way a growing community writes them.
private enum PoolSite {
    /// `count` gateways `gw1…gwN` at the first addresses of `prefix4`; `ranges` gives some their own dhcp_range.
    static func yaml(prefix4: String, gateways count: Int, ranges: [Int: String] = [:], domainRange: String? = nil) -> String {
        let network = IPv4Network(prefix4)!
        var text = MinimalSite.identity + "domains:\n  - code: ffx\n    prefix4: \(prefix4)\n    prefix6: fd99::/64\n"
        if let domainRange { text += "    dhcp: {range: \(domainRange)}\n" }
        text += "gateways:\n"
        for index in 1...count {
            let address = network.first.advanced(by: Int64(index))!
            let range = ranges[index].map { ", dhcp_range: \($0)" } ?? ""
            text += "  - name: gw\(index)\n    addresses:\n      ffx: {ipv4: \(address), ipv6: \"fd99::\(index)\"\(range)}\n"
        }
        return text
    }

    static func load(prefix4: String, gateways count: Int, ranges: [Int: String] = [:], domainRange: String? = nil) throws -> [String: IPv4Range] {
        let site = try SiteLoader.load(yaml: yaml(prefix4: prefix4, gateways: count, ranges: ranges, domainRange: domainRange), file: MarkedSite.file).site
        return DHCPPool.ranges(for: site.domains[0], in: site)
    }

    static func described(_ ranges: [String: IPv4Range], _ count: Int) -> [String] {
        (1...count).map { ranges["gw\($0)"]?.description ?? "none" }
    }
}

@Suite struct DHCPPoolTests {
    @Test func slash16IsCutIntoAlignedSlotsAfterTheReservedFirst256() throws {
        let ranges = try PoolSite.load(prefix4: "10.99.0.0/16", gateways: 3)
        #expect(PoolSite.described(ranges, 3) == ["10.99.1.0-10.99.31.255", "10.99.32.0-10.99.63.255", "10.99.64.0-10.99.95.255"])
    }

    @Test func eighthSlotStopsBeforeTheBroadcast() throws {
        let ranges = try PoolSite.load(prefix4: "10.99.0.0/16", gateways: 8)
        #expect(ranges["gw8"]?.description == "10.99.224.0-10.99.255.254")
    }

    @Test(arguments: ["10.99.0.0/16", "10.99.0.0/18", "10.99.0.0/20", "10.99.0.0/21", "10.99.0.0/22", "10.99.0.0/23", "10.99.0.0/24", "10.99.0.0/25", "10.99.0.0/26"])
    func everyGatewayGetsADisjointRangeInsideThePrefixAwayFromGatewayAddresses(prefix4: String) throws {
        let network = try #require(IPv4Network(prefix4))
        for count in 1...8 {
            let ranges = try PoolSite.load(prefix4: prefix4, gateways: count)
            #expect(ranges.count == count, "\(prefix4) with \(count) gateways")
            let all = (1...count).compactMap { ranges["gw\($0)"] }
            let gatewayAddresses = (1...count).map { network.first.advanced(by: Int64($0))! }
            for (index, range) in all.enumerated() {
                #expect(range.count >= 2, "\(prefix4): gw\(index + 1) got \(range)")
                #expect(network.contains(range.first) && network.contains(range.last), "\(range) outside \(prefix4)")
                #expect(range.first != network.first && range.last != network.last, "\(range) holds the network or broadcast of \(prefix4)")
                #expect(gatewayAddresses.allSatisfy { !range.contains($0) }, "\(range) holds a gateway address")
                for other in all[(index + 1)...] { #expect(!range.overlaps(other), "\(range) overlaps \(other) in \(prefix4)") }
            }
        }
    }

    @Test(arguments: ["10.99.0.0/16", "10.99.0.0/21", "10.99.0.0/24", "10.99.0.0/26"])
    func appendingAGatewayMovesNobody(prefix4: String) throws {
        var before = try PoolSite.load(prefix4: prefix4, gateways: 1)
        for count in 2...8 {
            let after = try PoolSite.load(prefix4: prefix4, gateways: count)
            for (name, range) in before { #expect(after[name] == range, "\(name) moved when gw\(count) joined \(prefix4)") }
            before = after
        }
    }

    @Test func slash21And22GiveTheFirstGatewayARange() throws {
        #expect(PoolSite.described(try PoolSite.load(prefix4: "10.99.0.0/21", gateways: 2), 2) == ["10.99.0.16-10.99.0.255", "10.99.1.0-10.99.1.255"])
        #expect(PoolSite.described(try PoolSite.load(prefix4: "10.99.0.0/22", gateways: 2), 2) == ["10.99.0.16-10.99.0.127", "10.99.0.128-10.99.0.255"])
    }

    @Test func smallPrefixesAreSharedArithmetically() throws {
        #expect(PoolSite.described(try PoolSite.load(prefix4: "10.99.0.0/24", gateways: 2), 2) == ["10.99.0.16-10.99.0.44", "10.99.0.45-10.99.0.73"])
        #expect(PoolSite.described(try PoolSite.load(prefix4: "10.99.0.0/26", gateways: 2), 2) == ["10.99.0.16-10.99.0.20", "10.99.0.21-10.99.0.25"])
    }

    @Test func explicitRangeIsKeptAndTheOthersTakeTheSlotsInOrder() throws {
        let ranges = try PoolSite.load(prefix4: "10.99.0.0/16", gateways: 3, ranges: [1: "10.99.200.0-10.99.200.255"])
        #expect(PoolSite.described(ranges, 3) == ["10.99.200.0-10.99.200.255", "10.99.1.0-10.99.31.255", "10.99.32.0-10.99.63.255"])
    }

    @Test func customDomainPoolIsSplitIntoEightShares() throws {
        let ranges = try PoolSite.load(prefix4: "10.99.0.0/16", gateways: 3, domainRange: "10.99.100.0-10.99.100.255")
        #expect(PoolSite.described(ranges, 3) == ["10.99.100.0-10.99.100.31", "10.99.100.32-10.99.100.63", "10.99.100.64-10.99.100.95"])
    }

    @Test func customDomainPoolIsStableWhenAGatewayIsAppended() throws {
        let three = try PoolSite.load(prefix4: "10.99.0.0/16", gateways: 3, domainRange: "10.99.100.0-10.99.100.255")
        let four = try PoolSite.load(prefix4: "10.99.0.0/16", gateways: 4, domainRange: "10.99.100.0-10.99.100.255")
        #expect(PoolSite.described(four, 3) == PoolSite.described(three, 3))
    }

    @Test func ninthGatewayStillGetsADisjointRange() throws {
        let ranges = try PoolSite.load(prefix4: "10.99.0.0/16", gateways: 9)
        let all = (1...9).compactMap { ranges["gw\($0)"] }
        #expect(all.count == 9)
        for (index, range) in all.enumerated() { for other in all[(index + 1)...] { #expect(!range.overlaps(other)) } }
    }
}
