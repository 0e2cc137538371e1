import Foundation
import Testing
@testable import GatewayKit
@testable import AgentKit
import GatewayBase
import TestSupport

/// What a gateway of a WireGuard domain is given: the links as Gluon nodes expect them, the node keys in wg's syntax,
/// the sync that applies them in place, the key made on the gateway, the agent's glue, and the firewall's two rules.
@Suite struct WireGuardDesiredStateTests {
    let desired: DesiredState

    init() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        desired = try WireGuardFixture.desired(folder)
    }

    func content(_ path: String) throws -> String { try #require(desired.file(path), "no \(path)").content }

    @Test func theLinksAreWhatGluonNodesExpect() throws {
        let netdev = try content("/etc/systemd/network/25-wg-ffx.netdev")
        #expect(netdev.contains("[NetDev]\nName=wg-ffx\nKind=wireguard\nMTUBytes=1420\n\n[WireGuard]\nPrivateKeyFile=/etc/gwsetup/wireguard/mesh.key\nListenPort=51820\n"), "\(netdev)")
        #expect(!netdev.contains("[WireGuardPeer]"), "node keys are synced in place, never written where networkd would reset them")
        let network = try content("/etc/systemd/network/25-wg-ffx.network")
        #expect(network.contains("VXLAN=vx-ffx") && network.contains("[Address]\nAddress=fe80::1/64\n") && network.contains("\nDuplicateAddressDetection=none\n"), "\(network)")
        let vxlan = try content("/etc/systemd/network/26-vx-ffx.netdev")
        #expect(vxlan.contains("Kind=vxlan\nMTUBytes=1350\n") && vxlan.contains("[VXLAN]\nVNI=12804165\nLocal=fe80::1\nDestinationPort=4789\nMacLearning=yes\nUDP6ZeroChecksumTx=yes\nUDP6ZeroChecksumRx=yes\n"), "\(vxlan)")
        #expect(try content("/etc/systemd/network/26-vx-ffx.network").contains("BatmanAdvanced=bat-ffx"))
        #expect(desired.files.filter { $0.path.contains("south") && ($0.path.contains("wg-") || $0.path.contains("vx-")) }.isEmpty, "south offers no WireGuard")
    }

    @Test func theNodeKeysAreWrittenWithTheirLinkAddresses() throws {
        let peers = try #require(desired.file("/etc/gwsetup/wireguard/wg-ffx.peers"))
        #expect(peers.content.contains("[Interface]\nListenPort=51820\n"))
        #expect(peers.content.contains("[Peer]\nPublicKey=\(WireGuardFixture.nodeA)\nAllowedIPs=fe80::23d:c6ff:fea5:fe50/128\n"), "\(peers.content)")
        #expect(peers.content.components(separatedBy: "[Peer]").count == 3)
        #expect(!peers.content.contains("PrivateKey"))
        // A new node key restarts only the sync: the link and every node's session stay.
        #expect(peers.triggers == [.restart("gwsetup-wireguard-sync@wg\\x2dffx.service")])
        #expect(desired.units.map(\.name).contains("gwsetup-wireguard-sync@wg\\x2dffx.service"))
    }

    @Test func theGatewayMakesItsMeshKeyAndGetsWireGuardTools() {
        #expect(desired.wireguardKeys == [WireGuardKey(.mesh)])
        #expect(WireGuardKey.privatePath(.mesh) == "/etc/gwsetup/wireguard/mesh.key")
        #expect(desired.packages.contains("wireguard-tools"))
        #expect(ProbeRequest(desired: desired).wireguardKeys == [.mesh])
    }

    @Test func theAgentGluesTheLinks() throws {
        let config = try JSONDecoder().decode(AgentConfig.self, from: Data(try content(DesiredState.agentConfigPath).utf8))
        #expect(config.wireguard == WireGuardGlueConfig(links: [.init(wireguard: "wg-ffx", vxlan: "vx-ffx", pruneAfter: 300)]))
        #expect(config.uplink == nil, "the site has no uplink check: the agent runs for the glue alone")
        #expect(desired.units.map(\.name).contains(DesiredState.agentUnit))
        #expect(desired.file(DesiredState.radvdDrainConfigPath) == nil, "no drain without the uplink check")
    }

    @Test func theFirewallOpensThePortAndKeepsVXLANInsideTheLink() throws {
        let v6 = try content(DesiredState.firewallRulesPath(.ipv6))
        #expect(v6.contains(#"-A INPUT -i wg-ffx -p udp -m udp --dport 4789 -m comment --comment "VXLAN of ffx, only inside WireGuard" -j ACCEPT"#))
        for family in [IPFamily.ipv4, .ipv6] {
            let rules = try content(DesiredState.firewallRulesPath(family))
            #expect(rules.contains(#"-A gw-wan-in -p udp -m udp --dport 51820 -m comment --comment "wireguard ffx" -j ACCEPT"#), "\(family)")
            #expect(!rules.contains("-i eth0 -p udp -m udp --dport 4789"), "\(family)")
        }
        // The clients' MSS follows the narrower link: 1350 - 32 - 40 (fastd's 1312 would give 1240).
        let v4 = try content(DesiredState.firewallRulesPath(.ipv4))
        #expect(v4.contains("clamp MSS to the mesh MTU of ffx\" -j TCPMSS --set-mss 1240"), "fastd's 1312 stays the narrower")
    }

    /// The sync script run for real by sh, with a stand-in `wg` that records what it was given.
    @Test func theSyncPipesTheKeyToWgAndNowhereElse() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        var script = try content(WireGuardSync.scriptPath)
        script = script.replacingOccurrences(of: "/etc/gwsetup/wireguard", with: folder.path)
        let path = try folder.write("sync", script)
        _ = try folder.write("mesh.key", "PRIVATE-KEY-TEXT\n")
        _ = try folder.write("wg-ffx.peers", try content("/etc/gwsetup/wireguard/wg-ffx.peers"))
        try FileManager.default.createDirectory(atPath: folder.path + "/bin", withIntermediateDirectories: true)
        _ = try folder.write("bin/wg", "#!/bin/sh\necho \"$*\" > \(folder.path)/args\ncat \"$3\" > \(folder.path)/stdin\n")
        _ = try Shell.run("chmod 755 \(folder.path)/bin/wg")
        let ran = try Shell.run("sh \(path) wg-ffx", environment: ["PATH": "\(folder.path)/bin:/usr/bin:/bin"])
        #expect(ran.status == 0, "\(ran)")
        #expect(try String(contentsOfFile: folder.path + "/args", encoding: .utf8) == "syncconf wg-ffx /dev/stdin\n")
        let given = try String(contentsOfFile: folder.path + "/stdin", encoding: .utf8)
        #expect(given.hasPrefix("[Interface]\nPrivateKey=PRIVATE-KEY-TEXT\n") && given.contains("ListenPort=51820") && given.contains(WireGuardFixture.nodeA))
        let refused = try Shell.run("sh \(path) eth0", environment: ["PATH": "\(folder.path)/bin:/usr/bin:/bin"])
        #expect(refused.status == 2, "only wg- links are synced")
    }
}

/// The WireGuard domain's rendered rules on a real kernel: verify holds its port and VXLAN intents, and a rule taken
/// away by hand or VXLAN let in from the uplink fails exactly the intent it breaks.
@Suite(.serialized) struct WireGuardFirewallKernelTests {
    func verify(after edits: [[String]] = []) throws -> (status: Int32, report: VerifyJSON) {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let path = try WireGuardFixture.write(folder)
        let namespace = try ThrowawayNamespace()
        try loadRenderedRules(path, gateway: "gw1", into: namespace)
        for edit in edits {
            let done = try namespace.exec(["ip6tables"] + edit)
            #expect(done.status == 0, "ip6tables \(edit.joined(separator: " ")): \(done.error)")
        }
        // A WireGuard domain brings the agent, whose program plan and apply hash; verify only names it, so any ELF
        // program without the Swift runtime stands in for it here.
        let v4 = try namespace.exec(["iptables-save"]), v6 = try namespace.exec(["ip6tables-save"])
        let result = try runCommand(["GWSETUP_AGENT=/bin/true", TestPaths.gwsetupBinary, "verify", "--site", path, "--gateway", "gw1",
                                     "--rules", try folder.write("dump.v4", v4.output), "--rules6", try folder.write("dump.v6", v6.output), "--json"])
        return (result.status, try VerifyJSON.decode(result.output))
    }

    func statuses(_ report: VerifyJSON) -> [String: String] {
        Dictionary(report.intents.filter { $0.id.contains("wireguard") || $0.id.contains("vxlan") }.map { ($0.id, $0.status) }, uniquingKeysWith: { a, _ in a })
    }

    @Test func theKernelHoldsTheWireGuardIntents() throws {
        let result = try verify()
        #expect(result.status == 0, "\(result.report.failing)")
        #expect(statuses(result.report) == [
            "ipv4.uplink.ffx.wireguard": "holds", "ipv4.uplink.ffx.refused-vxlan": "holds",
            "ipv6.uplink.ffx.wireguard": "holds", "ipv6.uplink.ffx.refused-vxlan": "holds", "ipv6.mesh.ffx.wireguard-vxlan": "holds",
        ])
    }

    @Test func vxlanFromTheUplinkOrAClosedPortFailsItsIntent() throws {
        let smuggled = try verify(after: [["-I", "gw-wan-in", "-p", "udp", "--dport", "4789", "-j", "ACCEPT"]])
        #expect(smuggled.status == 2 && statuses(smuggled.report)["ipv6.uplink.ffx.refused-vxlan"] == "fails", "\(statuses(smuggled.report))")
        let closed = try verify(after: [["-D", "gw-wan-in", "-p", "udp", "-m", "udp", "--dport", "51820", "-m", "comment", "--comment", "wireguard ffx", "-j", "ACCEPT"]])
        #expect(closed.status == 2 && statuses(closed.report)["ipv6.uplink.ffx.wireguard"] == "fails", "\(statuses(closed.report))")
        let shut = try verify(after: [["-D", "INPUT", "-i", "wg-ffx", "-p", "udp", "-m", "udp", "--dport", "4789", "-m", "comment", "--comment", "VXLAN of ffx, only inside WireGuard", "-j", "ACCEPT"]])
        #expect(shut.status == 2 && statuses(shut.report)["ipv6.mesh.ffx.wireguard-vxlan"] == "fails", "\(statuses(shut.report))")
    }
}

/// A site that drops a domain's WireGuard takes its links, node list and sync unit away; the gateway's key stays for
/// when WireGuard comes back.
@Suite struct WireGuardRemovalTests {
    @Test func droppingWireGuardRemovesItsLinksFilesAndUnit() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let with = try WireGuardFixture.desired(folder)
        let site = try WireGuardFixture.load(folder, yaml: WireGuardFixture.yaml(wireguard: "")).site
        let without = try DesiredStateBuilder(site: site, renderer: YAMLSite.renderer).build(for: site.gateway("gw1")!)
        var facts = convergedFacts(with)
        facts.manifest = OwnershipManifest.after(Plan(gateway: "gw1", factsDigest: "", desiredDigest: "", changes: []), desired: with,
                                                 previous: OwnershipManifest(), policy: .gateway)
        let plan = Planner.plan(without, against: facts)
        let removed = Set(plan.changes.filter { $0.action == .remove }.map { "\($0.kind.rawValue) \($0.resource)" })
        for path in ["/etc/systemd/network/25-wg-ffx.netdev", "/etc/systemd/network/25-wg-ffx.network", "/etc/systemd/network/26-vx-ffx.netdev",
                     "/etc/systemd/network/26-vx-ffx.network", "/etc/gwsetup/wireguard/wg-ffx.peers", WireGuardSync.scriptPath,
                     "/etc/systemd/system/\(WireGuardSync.template)"] {
            #expect(removed.contains("file \(path)"), "\(path) not removed: \(removed.sorted())")
        }
        #expect(removed.contains("unit gwsetup-wireguard-sync@wg\\x2dffx.service"), "\(removed.sorted())")
        let script = try ApplyScript(plan: plan, desired: without, holder: "test",
                                     ownership: ApplyOwnership(plan: plan, desired: without, facts: facts, policy: .gateway))
        let titles = script.steps.map(\.title)
        #expect(titles.contains("remove-link wg-ffx") && titles.contains("remove-link vx-ffx"), "\(titles)")
        #expect(!titles.contains { $0.contains("mesh.key") })
    }

    @Test func onlyWireGuardNamesGwsetupGivesAreOwned() {
        let policy = OwnershipPolicy.gateway
        #expect(policy.ownsFile("/etc/gwsetup/wireguard/wg-ffx.peers") && policy.ownsUnit("gwsetup-wireguard-sync@wg\\x2dffx.service"))
        for path in [WireGuardKey.privatePath(.mesh), "/etc/gwsetup/wireguard/wg-../x.peers", "/etc/gwsetup/wireguard/eth0.peers",
                     "/etc/systemd/network/25-wg-$(x).netdev"] {
            #expect(!policy.ownsFile(path), "\(path)")
        }
        #expect(!policy.ownsUnit("gwsetup-wireguard-sync@eth0.service"))
    }
}
