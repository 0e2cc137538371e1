import Testing
@testable import GatewayKit
@testable import GatewayBase

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

    /// The loaded site, with a next_node address when given.
    static func site(prefix4: String, gateways count: Int, nextNode: String?) throws -> Site {
        var text = yaml(prefix4: prefix4, gateways: count)
        if let nextNode {
            text = text.replacingOccurrences(of: "    prefix6: fd99::/64\n", with: "    prefix6: fd99::/64\n    next_node: {ipv4: \(nextNode)}\n")
        }
        return try SiteLoader.load(yaml: text, file: MarkedSite.file).site
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

/// Sites whose next_node and gateway addresses sit inside the automatic slots, as Gluon communities number them.
enum ReservedInsideSlots {
    static let prefix = IPv4Network("172.21.0.0/18")!
    /// Inside the first slot, whether the pool is cut in 8 aligned slots or shared by 10.
    static let nextNode = IPv4Address("172.21.2.254")!

    /// `count` gateways; gateway i lives in the middle of slot i (the last one in slot 0), so each slot holds a gateway.
    static func site(gateways count: Int) throws -> Site {
        var text = MinimalSite.identity + """
            domains:
              - code: ffx
                prefix4: \(prefix)
                prefix6: fd99::/64
                next_node: {ipv4: \(nextNode), ipv6: "fd99::ffff"}
            gateways:

            """
        // The automatic pool of a /18: the prefix less its first 256 addresses and its broadcast.
        let pool = IPv4Range(first: prefix.first.advanced(by: 256)!, last: prefix.last.advanced(by: -1)!)
        let share = pool.count / UInt64(max(count, SiteDefaults.dhcpGatewaySlots))
        for index in 1...count {
            let slot = index % count
            let address = pool.first.advanced(by: Int64(share) * Int64(slot) + Int64(share / 2) + Int64(index))!
            text += "  - name: gw\(index)\n    addresses:\n      ffx: {ipv4: \(address), ipv6: \"fd99::\(index)\"}\n"
        }
        return try SiteLoader.load(yaml: text, file: MarkedSite.file).site
    }
}

@Suite struct DHCPPoolReservedTests {
    @Test(arguments: [1, 4, 10])
    func rangesLeaveOutNextNodeGatewaysNetworkAndBroadcast(gateways count: Int) throws {
        let site = try ReservedInsideSlots.site(gateways: count)
        let domain = site.domains[0]
        let reserved = [ReservedInsideSlots.prefix.first, ReservedInsideSlots.prefix.last, ReservedInsideSlots.nextNode]
            + site.gateways.compactMap { $0.domain("ffx")?.ipv4 }
        let slots = DHCPPool.ranges(for: domain, in: site)
        let leasable = DHCPPool.leasableRanges(for: domain, in: site)
        // The test is only worth something if the reserved addresses really fall inside the slots.
        let outside = reserved.dropFirst(2).filter { address in !slots.values.contains { $0.contains(address) } }
        #expect(outside.isEmpty, "reserved addresses outside every slot: \(outside)")
        var all: [(name: String, range: IPv4Range)] = []
        for gateway in site.gateways {
            let pieces = try #require(leasable[gateway.name], "\(gateway.name) got no range")
            let slot = try #require(slots[gateway.name])
            #expect(!pieces.isEmpty)
            #expect(pieces.reduce(0) { $0 + $1.count } == slot.count - UInt64(reserved.filter(slot.contains).count),
                    "\(gateway.name): pieces \(pieces) are not its slot \(slot) less exactly the reserved addresses in it")
            for piece in pieces {
                #expect(slot.contains(piece.first) && slot.contains(piece.last))
                #expect(ReservedInsideSlots.prefix.contains(piece.first) && ReservedInsideSlots.prefix.contains(piece.last))
                for address in reserved { #expect(!piece.contains(address), "\(gateway.name) would lease \(address) from \(piece)") }
                all.append((gateway.name, piece))
            }
        }
        for (index, piece) in all.enumerated() {
            for other in all[(index + 1)...] {
                #expect(!piece.range.overlaps(other.range), "\(piece.name) \(piece.range) overlaps \(other.name) \(other.range)")
            }
        }
    }

    @Test func fourGatewaySlotSplitsAroundNextNode() throws {
        let site = try PoolSite.site(prefix4: "172.21.0.0/18", gateways: 4, nextNode: "172.21.24.254")
        let pieces = try #require(DHCPPool.leasableRanges(for: site.domains[0], in: site)["gw4"])
        #expect(pieces.map(\.description) == ["172.21.24.0-172.21.24.253", "172.21.24.255-172.21.31.255"])
    }

    @Test func reservedAddressesAtTheEdgesLeaveNoEmptyPieces() {
        let range = IPv4Range(first: IPv4Address("10.0.0.10")!, last: IPv4Address("10.0.0.20")!)
        let reserved = ["10.0.0.9", "10.0.0.10", "10.0.0.11", "10.0.0.15", "10.0.0.20", "10.0.0.21"].map { IPv4Address($0)! }
        #expect(DHCPPool.split(range, around: reserved).map(\.description) == ["10.0.0.12-10.0.0.14", "10.0.0.16-10.0.0.19"])
        #expect(DHCPPool.split(range, around: []) == [range])
        let single = IPv4Range(first: IPv4Address("10.0.0.10")!, last: IPv4Address("10.0.0.10")!)
        #expect(DHCPPool.split(single, around: [IPv4Address("10.0.0.10")!]).isEmpty)
    }

    @Test func sitesWithNothingReservedInsideKeepTheirOneRange() throws {
        let site = try PoolSite.site(prefix4: "10.99.0.0/16", gateways: 8, nextNode: nil)
        let slots = DHCPPool.ranges(for: site.domains[0], in: site)
        #expect(DHCPPool.leasableRanges(for: site.domains[0], in: site) == slots.mapValues { [$0] })
    }
}
