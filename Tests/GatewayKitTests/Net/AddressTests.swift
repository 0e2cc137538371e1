import Testing
@testable import GatewayKit
@testable import GatewayBase

@Suite struct AddressTests {
    @Test(arguments: ["10.99.0.1", "0.0.0.0", "255.255.255.255"])
    func ipv4RoundTrips(_ text: String) {
        #expect(IPv4Address(text)?.description == text)
    }

    @Test(arguments: ["10.99.0", "10.99.0.256", "010.1.1.1", "1.2.3.4.5", "a.b.c.d", ""])
    func ipv4RejectsMalformed(_ text: String) {
        #expect(IPv4Address(text) == nil)
    }

    @Test(arguments: [
        ("fd99:1234:5678::1", "fd99:1234:5678::1"),
        ("FDEF:ffc0:4ffa:0000::1", "fdef:ffc0:4ffa::1"),
        ("::", "::"),
        ("::1", "::1"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("::ffff:10.0.0.1", "::ffff:a00:1"),
        ("1:0:0:0:0:0:0:8", "1::8"),
    ])
    func ipv6CanonicalText(_ input: String, _ canonical: String) {
        #expect(IPv6Address(input)?.description == canonical)
    }

    @Test(arguments: ["1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "fe80::1%eth0", ":::", "g::1"])
    func ipv6RejectsMalformed(_ text: String) {
        #expect(IPv6Address(text) == nil)
    }

    @Test func strictNetworksRefuseHostBits() {
        #expect(IPv4Network("10.99.0.1/16") == nil)
        #expect(IPv4Network("10.99.0.1/16", strict: false)?.description == "10.99.0.0/16")
        #expect(IPv6Network("fd99::1/64") == nil)
        #expect(IPv4Network("10.0.0.0/255.0.0.0")?.prefixLength == 8)
        #expect(IPv4Network("10.0.0.0/33") == nil)
    }

    @Test func containmentAndOverlap() throws {
        let net = try #require(IPv4Network("10.99.0.0/16"))
        #expect(net.contains(IPv4Address("10.99.255.255")!))
        #expect(!net.contains(IPv4Address("10.100.0.0")!))
        #expect(net.last.description == "10.99.255.255")
        #expect(net.overlaps(IPv4Network("10.99.128.0/17")!))
        #expect(!net.overlaps(IPv4Network("10.100.0.0/16")!))
        let v6 = try #require(IPv6Network("fd99:1234:5678::/64"))
        #expect(v6.contains(IPv6Address("fd99:1234:5678:0:ffff::1")!))
        #expect(!v6.contains(IPv6Address("fd99:1234:5679::1")!))
        #expect(IPNetwork("0.0.0.0/0")!.contains(.v4(IPv4Address("1.2.3.4")!)))
        #expect(!IPNetwork("0.0.0.0/0")!.contains(.v6(IPv6Address("::1")!)))
    }
}
