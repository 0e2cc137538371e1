import Foundation
import Testing
@testable import GatewayKit
@testable import GatewayBase

/// What a gateway whose clients leave through the exit must have: the WireGuard netdev with the site's peer, its
/// address and the clients' routing table, and on each carried domain's bridge the rules that keep the meshes in main
/// and send the rest into that table (and nowhere while it is empty, unless the uplink is the fallback).
@Suite struct ExitDesiredStateTests {
    func content(_ desired: DesiredState, _ path: String) throws -> String { try #require(desired.file(path), "no \(path)").content }

    static let netdev = "/etc/systemd/network/40-gw-exit.netdev"
    static let network = "/etc/systemd/network/40-gw-exit.network"

    /// The bridge file of a domain, up to the exit's part: as it is without an exit.
    static func bridgeHead(_ domain: String, ipv4: String, ipv6: String) -> String {
        """
        # Addresses of this gateway in domain \(domain).
        [Match]
        Name=br-\(domain)

        [Network]
        Address=\(ipv4)
        Address=\(ipv6)
        IPv6AcceptRA=no
        ConfigureWithoutCarrier=yes
        IgnoreCarrierLoss=yes

        [Link]
        RequiredForOnline=no

        """
    }

    @Test func theTunnelIsAWireGuardNetdevWithTheSitesPeer() throws {
        let desired = try ExitFixture.desired("gwa")
        #expect(try content(desired, Self.netdev) == """
            # WireGuard exit tunnel of gateway gwa (Freifunk Example): the clients' IPv4 leaves through it; the key never leaves the gateway.
            [NetDev]
            Name=gw-exit
            Kind=wireguard
            MTUBytes=1420

            [WireGuard]
            PrivateKeyFile=/etc/gwsetup/wireguard/gw-exit.key

            [WireGuardPeer]
            PublicKey=\(ExitFixture.serverKey)
            Endpoint=192.0.2.50:51820
            AllowedIPs=0.0.0.0/0
            PersistentKeepalive=25

            """)
        #expect(try content(desired, Self.network) == """
            # The exit tunnel's address, and the default route of the clients' own routing table through it.
            [Match]
            Name=gw-exit

            [Network]
            Address=10.200.0.2/32
            LinkLocalAddressing=no
            IPv6AcceptRA=no

            [Route]
            Destination=0.0.0.0/0
            Table=4200

            [Link]
            RequiredForOnline=no

            """)
        for path in [Self.netdev, Self.network] {
            #expect(desired.file(path)?.triggers == [.restart("systemd-networkd.service")], "networkd reads a netdev only when it starts")
        }
    }

    @Test func theSitesValuesReachTheNetdev() throws {
        let exit = "exit: {endpoint: \"[2001:db8::50]:51821\", public_key: \(ExitFixture.serverKey), mtu: 1380, keepalive: 0, domains: [north]}\n"
        let netdev = try content(try ExitFixture.desired("gwa", ExitFixture.yaml(exit: exit, gwaExitAddress: "10.200.7.9/24")), Self.netdev)
        #expect(netdev.contains("MTUBytes=1380\n"))
        #expect(netdev.contains("Endpoint=[2001:db8::50]:51821\n"), "an IPv6 endpoint in brackets, as networkd reads it")
        #expect(netdev.contains("PersistentKeepalive=0\n"))
        let hostName = "exit: {endpoint: exit.example.net:51820, public_key: \(ExitFixture.serverKey), domains: [north]}\n"
        #expect(try content(try ExitFixture.desired("gwa", ExitFixture.yaml(exit: hostName)), Self.netdev).contains("Endpoint=exit.example.net:51820\n"))
        let network = try content(try ExitFixture.desired("gwa", ExitFixture.yaml(exit: exit, gwaExitAddress: "10.200.7.9/24")), Self.network)
        #expect(network.contains("Address=10.200.7.9/24\n"))
    }

    @Test func aCarriedDomainsClientsLookUpTheExitsTableAndNothingElseWhileItIsDown() throws {
        let desired = try ExitFixture.desired("gwa")
        #expect(try content(desired, "/etc/systemd/network/20-br-north.network") == Self.bridgeHead("north", ipv4: "10.60.0.1/16", ipv6: "fd60::1/64") + """

            # The clients' IPv4 leaves through the exit: the gateway's meshes through main, everything else through the exit's table.
            [RoutingPolicyRule]
            From=10.60.0.0/16
            To=10.60.0.0/16
            Table=main
            Priority=31000

            [RoutingPolicyRule]
            From=10.60.0.0/16
            To=10.61.0.0/16
            Table=main
            Priority=31000

            [RoutingPolicyRule]
            From=10.60.0.0/16
            Table=4200
            Priority=31001

            # While the exit is down its table is empty: the clients get "unreachable" instead of the uplink.
            [RoutingPolicyRule]
            From=10.60.0.0/16
            Type=unreachable
            Priority=31002

            """)
        // south is not carried: its clients are NATed out of the uplink as without an exit.
        #expect(try content(desired, "/etc/systemd/network/20-br-south.network") == Self.bridgeHead("south", ipv4: "10.61.0.1/16", ipv6: "fd61::1/64"))
    }

    @Test func withTheUplinkAsFallbackNothingAnswersUnreachable() throws {
        let exit = "exit: {endpoint: 192.0.2.50:51820, public_key: \(ExitFixture.serverKey), domains: [north], fallback: uplink}\n"
        let desired = try ExitFixture.desired("gwa", ExitFixture.yaml(exit: exit))
        let bridge = try content(desired, "/etc/systemd/network/20-br-north.network")
        #expect(bridge.hasSuffix("""
            [RoutingPolicyRule]
            From=10.60.0.0/16
            Table=4200
            Priority=31001

            """))
        #expect(!bridge.contains("unreachable"))
        #expect(bridge.components(separatedBy: "[RoutingPolicyRule]").count == 4, "two mesh rules and the table's")
    }

    @Test func everyDomainWithIPv4IsCarriedWhenTheExitNamesNone() throws {
        let exit = "exit: {endpoint: 192.0.2.50:51820, public_key: \(ExitFixture.serverKey)}\n"
        // gwb serves south, which the exit now carries: it needs a tunnel address too.
        #expect(throws: SiteErrors.self) { try ExitFixture.site(ExitFixture.yaml(exit: exit)) }
        let yaml = ExitFixture.yaml(exit: exit, gwbExitAddress: "10.200.0.3/32")
        let desired = try ExitFixture.desired("gwa", yaml)
        for (domain, prefix) in [("north", "10.60.0.0/16"), ("south", "10.61.0.0/16")] {
            let bridge = try content(desired, "/etc/systemd/network/20-br-\(domain).network")
            #expect(bridge.contains("[RoutingPolicyRule]\nFrom=\(prefix)\nTable=4200\nPriority=31001\n"), "\(domain)")
            #expect(bridge.contains("[RoutingPolicyRule]\nFrom=\(prefix)\nType=unreachable\nPriority=31002\n"), "\(domain)")
        }
        #expect(try ExitFixture.desired("gwb", yaml).file(Self.network)?.content.contains("Address=10.200.0.3/32\n") == true)
    }

    @Test func theGatewayGetsWireGuardToolsAndMakesItsKey() throws {
        let desired = try ExitFixture.desired("gwa")
        #expect(desired.packages.contains("wireguard-tools"))
        #expect(desired.wireguardKeys == [WireGuardKey(.exit)])
        #expect(desired.wireguardKeys.first?.units == ["systemd-networkd.service"])
        let without = try ExitFixture.desired("gwa", ExitFixture.yaml(exit: "", gwaExitAddress: nil))
        #expect(!without.packages.contains("wireguard-tools") && without.wireguardKeys.isEmpty)
        #expect(!without.files.contains { $0.path.contains("gw-exit") || $0.content.contains("RoutingPolicyRule") || $0.content.contains("gw-exit") })
    }

    @Test func aGatewayServingNoCarriedDomainHasNoTunnel() throws {
        let desired = try ExitFixture.desired("gwb")
        #expect(desired.wireguardKeys.isEmpty && !desired.packages.contains("wireguard-tools"))
        #expect(desired.file(Self.netdev) == nil && desired.file(Self.network) == nil)
        #expect(try !content(desired, "/etc/systemd/network/20-br-south.network").contains("RoutingPolicyRule"))
        #expect(ProbeRequest(desired: desired).wireguardKeys.isEmpty, "no key to ask for")
        for family in [IPFamily.ipv4, .ipv6] {
            #expect(try !content(desired, DesiredState.firewallRulesPath(family)).contains("gw-exit"), "\(family)")
        }
    }

    @Test func theAgentProbesThroughTheExit() throws {
        func probeInterface(_ yaml: String, _ gateway: String) throws -> String? {
            let config = try content(try ExitFixture.desired(gateway, yaml), DesiredState.agentConfigPath)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(config.utf8)) as? [String: Any])
            return (json["uplink"] as? [String: Any])?["interface"] as? String
        }
        #expect(try probeInterface(ExitFixture.yaml(uplinkCheck: true), "gwa") == "gw-exit", "a dead exit drains the gateway")
        #expect(try probeInterface(ExitFixture.yaml(uplinkCheck: true), "gwb") == "eth0", "gwb's clients leave through its uplink")
        #expect(try probeInterface(ExitFixture.yaml(exit: "", gwaExitAddress: nil, uplinkCheck: true), "gwa") == "eth0")
        // With the uplink as the fallback a dead exit leaves the clients their internet: draining would take it away.
        let fallback = "exit: {endpoint: 192.0.2.50:51820, public_key: \(ExitFixture.serverKey), domains: [north], fallback: uplink}\n"
        #expect(try probeInterface(ExitFixture.yaml(exit: fallback, uplinkCheck: true), "gwa") == "eth0")
    }

    /// The exit carries IPv4 only: the IPv6 firewall is the same with and without it.
    @Test func theIPv6FirewallIsUntouched() throws {
        let with = try ExitFixture.desired("gwa"), without = try ExitFixture.desired("gwa", ExitFixture.yaml(exit: "", gwaExitAddress: nil))
        #expect(try content(with, DesiredState.firewallRulesPath(.ipv6)) == content(without, DesiredState.firewallRulesPath(.ipv6)))
        #expect(try content(with, DesiredState.firewallRulesPath(.ipv4)) != content(without, DesiredState.firewallRulesPath(.ipv4)))
    }
}
