import Foundation
import Testing
@testable import GatewayKit
@testable import GatewayBase
import TestSupport

/// The rendered rules of the single-gateway example, broken the ways real gateways break, checked by the built binary.
@Suite struct VerifyMutationTests {
    /// One way to break the rules: which family's file, how, and exactly which intents must then fail.
    struct Mutation: CustomTestStringConvertible, Sendable {
        var name: String
        var family: IPFamily
        var change: @Sendable (String) -> String
        var failing: Set<String>

        var testDescription: String { name }
    }

    static func removing(_ line: String) -> @Sendable (String) -> String {
        { text in
            precondition(text.contains(line + "\n"), "the rendered rules no longer contain: \(line)")
            return text.replacingOccurrences(of: line + "\n", with: "")
        }
    }

    static func replacing(_ old: String, with new: String) -> @Sendable (String) -> String {
        { text in
            precondition(text.contains(old), "the rendered rules no longer contain: \(old)")
            return text.replacingOccurrences(of: old, with: new)
        }
    }

    static func inserting(_ line: String, before anchor: String) -> @Sendable (String) -> String {
        { text in
            precondition(text.contains(anchor), "the rendered rules no longer contain: \(anchor)")
            return text.replacingOccurrences(of: anchor, with: line + "\n" + anchor)
        }
    }

    static let wanAnchor = "-A gw-wan-in -p tcp -m tcp --dport 22"
    static let mssRule = #"-A FORWARD -i br-ffx -p tcp -m tcp --tcp-flags SYN,RST SYN -m comment --comment "clamp MSS to the mesh MTU of ffx" -j TCPMSS --set-mss 1240"#
    static let ulaReject = #"-A FORWARD -i br-ffx -o eth0 -m comment --comment "ffx has only a unique-local prefix: no route to the internet" -j REJECT --reject-with icmp6-no-route"#
    static let closedOverIPv6: Set<String> = [
        "IPv6 uplink eth0: DNS over UDP is closed (no open resolver)", "IPv6 uplink eth0: DNS over TCP is closed",
        "IPv6 uplink eth0: NTP is closed (no NTP amplifier)", "IPv6 uplink eth0: DHCPv6 is closed",
        "IPv6 uplink eth0: respondd (udp/1001) is closed", "IPv6 uplink eth0: a port gwsetup does not open (tcp/80) is closed",
        "IPv6 uplink eth0: a port gwsetup does not open (udp/161) is closed",
    ]

    static let mutations: [Mutation] = [
        Mutation(name: "DNS accept on the bridge dropped", family: .ipv4,
                 change: removing(#"-A gw-mesh-in -p udp -m udp --dport 53 -m comment --comment "dns" -j ACCEPT"#),
                 failing: ["IPv4 mesh ffx: DNS over UDP from clients is answered"]),
        Mutation(name: "DNS accepted on the uplink", family: .ipv4,
                 change: inserting("-A gw-wan-in -p udp -m udp --dport 53 -j ACCEPT", before: wanAnchor),
                 failing: ["IPv4 uplink eth0: DNS over UDP is closed (no open resolver)"]),
        Mutation(name: "masquerade removed", family: .ipv4,
                 change: removing(#"-A POSTROUTING -s 10.99.0.0/16 -o eth0 -m comment --comment "NAT clients of ffx" -j MASQUERADE"#),
                 failing: ["IPv4 forward ffx → eth0: clients (10.99.0.0/16) are masqueraded"]),
        Mutation(name: "MSS clamping removed", family: .ipv4,
                 change: removing(mssRule),
                 failing: ["IPv4 forward ffx → eth0: TCP MSS is set to the mesh's 1240 on SYNs"]),
        // The old rule: on a 1500-byte bridge the path MTU is 1500, so it never lowers the MSS to what the mesh carries.
        Mutation(name: "MSS clamped to the path MTU instead of the mesh's", family: .ipv4,
                 change: replacing("-j TCPMSS --set-mss 1240", with: "-j TCPMSS --clamp-mss-to-pmtu"),
                 failing: ["IPv4 forward ffx → eth0: TCP MSS is set to the mesh's 1240 on SYNs"]),
        Mutation(name: "MSS set above what the mesh carries", family: .ipv4,
                 change: replacing("-j TCPMSS --set-mss 1240", with: "-j TCPMSS --set-mss 1460"),
                 failing: ["IPv4 forward ffx → eth0: TCP MSS is set to the mesh's 1240 on SYNs"]),
        Mutation(name: "unique-local clients forwarded to the uplink (IPv6)", family: .ipv6,
                 change: replacing(ulaReject, with: #"-A FORWARD -s fd99:1234:5678::/64 -i br-ffx -o eth0 -j ACCEPT"#),
                 failing: ["IPv6 forward ffx → eth0: clients of a unique-local prefix (fd99:1234:5678::/64) are refused"]),
        Mutation(name: "a DROP moved above the uplink's ACCEPTs", family: .ipv4,
                 change: inserting("-A gw-wan-in -j DROP", before: wanAnchor),
                 failing: ["IPv4 uplink eth0: SSH (tcp/22) from anywhere is accepted", "IPv4 uplink eth0: fastd ffx (udp/10000) is open to nodes"]),
        Mutation(name: "FORWARD policy ACCEPT", family: .ipv4,
                 change: { $0.replacingOccurrences(of: ":FORWARD DROP [0:0]", with: ":FORWARD ACCEPT [0:0]") },
                 failing: ["IPv4 forward eth0 → ffx: new connections from the internet are refused"]),
        Mutation(name: "INPUT policy ACCEPT (IPv6)", family: .ipv6,
                 change: { $0.replacingOccurrences(of: ":INPUT DROP [0:0]", with: ":INPUT ACCEPT [0:0]") },
                 failing: closedOverIPv6),
        Mutation(name: "ICMPv6 accept dropped", family: .ipv6, change: removing("-A INPUT -p ipv6-icmp -j ACCEPT"), failing: [
            "IPv6 mesh ffx: ping from clients is answered", "IPv6 mesh ffx: neighbour solicitation for the gateway is answered",
            "IPv6 mesh ffx: neighbour advertisement to the gateway is received", "IPv6 mesh ffx: router solicitation from clients is answered",
            "IPv6 mesh ffx: router advertisement from another router is received", "IPv6 mesh ffx: MLDv2 listener report is received",
            "IPv6 mesh ffx: MLD query from another router is received",
        ]),
    ]

    @Test(arguments: mutations)
    func verifyNamesTheBrokenIntentAndExits2(_ mutation: Mutation) throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        var texts = [IPFamily.ipv4: try renderedRules("single-gateway.yaml", gateway: "gw1", .ipv4),
                     .ipv6: try renderedRules("single-gateway.yaml", gateway: "gw1", .ipv6)]
        texts[mutation.family] = mutation.change(texts[mutation.family]!)
        let v4 = try folder.write("rules.v4", texts[.ipv4]!)
        let v6 = try folder.write("rules.v6", texts[.ipv6]!)
        let result = try runGwsetup(["verify", "--site", TestPaths.example("single-gateway.yaml"), "--rules", v4, "--rules6", v6, "--json"])
        #expect(result.status == 2, "\(result.error)")
        let report = try VerifyJSON.decode(result.output)
        #expect(report.failing == mutation.failing)
        #expect(!report.passed)
        #expect(!report.drift.isEmpty, "a changed file is drift too")
        let text = try runGwsetup(["verify", "--site", TestPaths.example("single-gateway.yaml"), "--rules", v4, "--rules6", v6])
        #expect(text.status == 2)
        for name in mutation.failing {
            // Issue 23: the verdict is followed by the intent's id, then its sentence.
            #expect(text.output.split(separator: "\n").contains { $0.hasPrefix("FAILS    ") && $0.hasSuffix("  \(name)") }, "no FAILS line for \(name) in:\n\(text.output)")
        }
    }

    @Test func theSameDropAtTheEndOfTheChainBreaksNothingButIsDrift() throws {
        // The control for "a DROP moved above the ACCEPTs": the rule alone is harmless, its position is the bug.
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let v4 = try renderedRules("single-gateway.yaml", gateway: "gw1", .ipv4)
            .replacingOccurrences(of: "-A FORWARD -m conntrack", with: "-A gw-wan-in -j DROP\n-A FORWARD -m conntrack")
        let path = try folder.write("rules.v4", v4)
        let result = try runGwsetup(["verify", "--site", TestPaths.example("single-gateway.yaml"), "--rules", path, "--json"])
        #expect(result.status == 2)
        let report = try VerifyJSON.decode(result.output)
        #expect(report.failing.isEmpty)
        #expect(report.drift.map(\.kind) == ["unexpected"])
        #expect(report.drift.first?.text == "-A gw-wan-in -j DROP")
        #expect(report.drift.first?.line == v4.split(separator: "\n", omittingEmptySubsequences: false).firstIndex(of: "-A gw-wan-in -j DROP").map { $0 + 1 })
    }

    @Test func untouchedRenderedRulesPassWithExit0() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let v4 = try folder.write("rules.v4", try renderedRules("two-domains.yaml", gateway: "gw2", .ipv4))
        let v6 = try folder.write("rules.v6", try renderedRules("two-domains.yaml", gateway: "gw2", .ipv6))
        let result = try runGwsetup(["verify", "--site", TestPaths.example("two-domains.yaml"), "--gateway", "gw2", "--rules", v4, "--rules6", v6])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output.contains("No drift from the rendered rules."))
        #expect(result.output.hasSuffix("intents: \(result.output.components(separatedBy: "\nholds    ").count - 1) hold, 0 FAIL, 0 depend; no drift.\n"))
        #expect(result.error.isEmpty)
    }
}
