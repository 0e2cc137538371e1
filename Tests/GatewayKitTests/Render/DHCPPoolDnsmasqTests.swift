import Foundation
import Testing
@testable import GatewayKit
@testable import GatewayBase
import TestSupport

/// Slots split around reserved addresses reach dnsmasq as several dhcp-range lines per tag, and dnsmasq takes them.
@Suite struct DHCPPoolDnsmasqTests {
    /// Four gateways in two domains; gw4's slots hold each domain's next_node and, in ffx, gw1's own address.
    static let site = """
        site: {code: ffx}
        domains:
          - code: ffx
            prefix4: 172.21.0.0/18
            prefix6: fd99::/64
            next_node: {ipv4: 172.21.24.254}
          - code: ffy
            prefix4: 10.98.0.0/16
            prefix6: fd98::/64
            next_node: {ipv4: 10.98.100.1}
        gateways:
          - name: gw1
            addresses:
              ffx: {ipv4: 172.21.28.1, ipv6: "fd99::1"}
              ffy: {ipv4: 10.98.0.1, ipv6: "fd98::1"}
          - name: gw2
            addresses:
              ffx: {ipv4: 172.21.0.2, ipv6: "fd99::2"}
              ffy: {ipv4: 10.98.0.2, ipv6: "fd98::2"}
          - name: gw3
            addresses:
              ffx: {ipv4: 172.21.0.3, ipv6: "fd99::3"}
              ffy: {ipv4: 10.98.0.3, ipv6: "fd98::3"}
          - name: gw4
            addresses:
              ffx: {ipv4: 172.21.0.4, ipv6: "fd99::4"}
              ffy: {ipv4: 10.98.0.4, ipv6: "fd98::4"}

        """

    @Test func splitRangesRenderAsSeveralLinesPerTagThatDnsmasqAccepts() throws {
        let site = try SiteLoader.load(yaml: Self.site, file: MarkedSite.file).site
        let renderer = TemplateRenderer(store: TemplateStore(bundledDirectory: TestPaths.repository + "/Templates"))
        let desired = try DesiredStateBuilder(site: site, renderer: renderer).build(for: try #require(site.gateway("gw4")))
        let file = try #require(desired.file("/etc/dnsmasq.d/gwsetup.conf"))
        let ranges = file.content.split(separator: "\n").filter { $0.hasPrefix("dhcp-range=") }
        #expect(ranges == [
            "dhcp-range=set:ffx,172.21.24.0,172.21.24.253,255.255.192.0,600",
            "dhcp-range=set:ffx,172.21.24.255,172.21.28.0,255.255.192.0,600",
            "dhcp-range=set:ffx,172.21.28.2,172.21.31.255,255.255.192.0,600",
            "dhcp-range=set:ffy,10.98.96.0,10.98.100.0,255.255.0.0,600",
            "dhcp-range=set:ffy,10.98.100.2,10.98.127.255,255.255.0.0,600",
        ])
        let root = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/gwsetup.conf"
        try file.content.write(toFile: path, atomically: true, encoding: .utf8)
        let validator = try #require(file.validator)
        let result = try Shell.run(validator, environment: ["FILE": path])
        #expect(result.status == 0, "dnsmasq rejected the split ranges:\n\(result.output)\n\(file.content)")
        // The same checker refuses a range whose ends lie in different networks, so the acceptance above means something.
        try (file.content + "dhcp-range=set:ffx,172.21.24.0,10.0.0.1,255.255.192.0,600\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try Shell.run(validator, environment: ["FILE": path]).status != 0)
    }
}

/// Item 4's proof end to end: with next_node and gateway addresses inside the automatic slots, every gateway's
/// rendered dhcp-range lines hold none of them, and dnsmasq's own check takes each file.
@Suite struct DHCPPoolReservedDnsmasqTests {
    @Test(arguments: [1, 4, 10])
    func renderedRangesHoldNoReservedAddressAndDnsmasqAcceptsThem(gateways count: Int) throws {
        let site = try ReservedInsideSlots.site(gateways: count)
        let renderer = TemplateRenderer(store: TemplateStore(bundledDirectory: TestPaths.repository + "/Templates"))
        let prefix = ReservedInsideSlots.prefix
        let reserved = [prefix.first, prefix.last, ReservedInsideSlots.nextNode] + site.gateways.compactMap { $0.domain("ffx")?.ipv4 }
        let root = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var leased: UInt64 = 0
        for gateway in site.gateways {
            let file = try #require(try DesiredStateBuilder(site: site, renderer: renderer).build(for: gateway).file("/etc/dnsmasq.d/gwsetup.conf"))
            let ranges = try file.content.split(separator: "\n").filter { $0.hasPrefix("dhcp-range=") }.map { line in
                let fields = line.dropFirst("dhcp-range=".count).split(separator: ",")
                return IPv4Range(first: try #require(IPv4Address(fields[1])), last: try #require(IPv4Address(fields[2])))
            }
            #expect(!ranges.isEmpty, "\(gateway.name) renders no range")
            for range in ranges {
                for address in reserved { #expect(!range.contains(address), "\(gateway.name) would lease \(address) from \(range)") }
                leased += range.count
            }
            let path = root + "/\(gateway.name).conf"
            try file.content.write(toFile: path, atomically: true, encoding: .utf8)
            let result = try Shell.run(try #require(file.validator), environment: ["FILE": path])
            #expect(result.status == 0, "dnsmasq rejected \(gateway.name)'s ranges:\n\(result.output)\n\(file.content)")
        }
        #expect(leased > 0)
    }
}
