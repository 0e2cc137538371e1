import Foundation
import Testing
@testable import GatewayKit

@Suite("Live network drift is repaired with the least disruptive step, right after networkd, and restarts nothing else")
struct LinkRepairScriptTests {
    let desired: DesiredState

    init() throws { desired = try desiredState(example: "single-gateway.yaml", gateway: "gw1") }

    func script(_ change: (inout HostFacts) -> Void) throws -> ApplyScript {
        var facts = convergedNetworkFacts(desired)
        change(&facts)
        return try ApplyScript(plan: Planner.plan(desired, against: facts), desired: desired, holder: "test")
    }

    static let restarts: Set<ApplyStep.Kind> = [.restart, .reload, .start]

    @Test func aMissingBatmanInterfaceIsMadeByNetworkdThenFastdRejoins() throws {
        let script = try script {
            $0.network?.links["bat-ffx"] = nil
            $0.network?.links["vpn-ffx"]?.master = nil
        }
        #expect(script.steps.map(\.title) == [
            "record-triggers 1 owed", "link bat-ffx", "restart fastd@ffx.service", "clear-triggers /var/lib/gwsetup/pending-triggers",
        ])
        #expect(script.script.contains("step 1 gw_links 'bat-ffx'\n"))
        #expect(!script.script.contains("systemd-networkd"), "networkd reloads; it is not restarted")
    }

    @Test func aMissingAddressIsANetworkdReconfigureOfTheBridgeAlone() throws {
        let script = try script { $0.network?.links["br-ffx"]?.addresses = [] }
        #expect(script.steps.map(\.title) == ["link br-ffx"])
        #expect(script.steps.filter { Self.restarts.contains($0.kind) }.isEmpty)
    }

    @Test func runtimeSettingsAreSetInPlaceWithBatctlInOneStep() throws {
        let script = try script {
            $0.network?.batman["bat-ffx"]?.gatewayMode = "client"
            $0.network?.batman["bat-ffx"]?.hopPenalty = 15
            $0.network?.batman["bat-ffx"]?.multicastMode = false
        }
        #expect(script.steps.map(\.title) == ["batman bat-ffx gw_mode,hop_penalty,multicast_mode"])
        #expect(script.script.contains("step 0 gw_batman 'bat-ffx' 'gw_mode' 'server' '100000kbit/100000kbit' 'hop_penalty' '60' '' 'multicast_forceflood' '0' ''\n"))
    }

    @Test func aDetachedFastdInterfaceRestartsFastdOnly() throws {
        let script = try script { $0.network?.links["vpn-ffx"]?.master = nil }
        #expect(script.steps.map(\.title) == ["record-triggers 1 owed", "restart fastd@ffx.service", "clear-triggers /var/lib/gwsetup/pending-triggers"])
    }

    @Test func aChangedRoutingAlgorithmDeletesRecreatesAndRejoins() throws {
        let script = try script { $0.network?.batman["bat-ffx"]?.routingAlgorithm = "BATMAN_V" }
        #expect(script.steps.map(\.title) == [
            "record-triggers 1 owed", "link recreate bat-ffx", "link bat-ffx", "restart fastd@ffx.service", "clear-triggers /var/lib/gwsetup/pending-triggers",
        ])
    }

    @Test func linkRepairsComeAfterANetworkdRestartAndBeforeFastd() throws {
        var facts = convergedNetworkFacts(desired)
        facts.network?.links["br-ffx"]?.multicastSnooping = false
        let path = "/etc/systemd/network/30-bat-ffx.netdev"
        facts.files[path]?.sha256 = String(repeating: "0", count: 64)
        let script = try ApplyScript(plan: Planner.plan(desired, against: facts), desired: desired, holder: "test")
        let titles = script.steps.map(\.title)
        let networkd = try #require(titles.firstIndex(of: "restart systemd-networkd.service"))
        let snooping = try #require(titles.firstIndex(of: "link br-ffx multicast_snooping"))
        let fastd = try #require(titles.firstIndex(of: "restart fastd@ffx.service"))
        #expect(networkd < snooping && snooping < fastd)
    }

    @Test func aBridgeMACIsSetInPlaceAfterNetworkdsRestart() throws {
        var facts = convergedNetworkFacts(desired)
        facts.network?.links["br-ffx"]?.mac = "02:11:22:33:44:55"
        facts.files["/etc/systemd/network/20-br-ffx.netdev"]?.sha256 = String(repeating: "0", count: 64)
        let script = try ApplyScript(plan: Planner.plan(desired, against: facts), desired: desired, holder: "test")
        let titles = script.steps.map(\.title)
        let networkd = try #require(titles.firstIndex(of: "restart systemd-networkd.service"))
        let step = try #require(titles.firstIndex(of: "link br-ffx mac"))
        #expect(networkd < step, "\(titles)")
        let mac = try #require(desired.meshLinks.first?.bridgeMAC)
        #expect(script.script.contains(" gw_bridge_mac 'br-ffx' '\(mac)'\n"), "\(script.script)")
    }

    @Test func aPlanCannotNameALinkTheSiteDoesNotImply() throws {
        var plan = Planner.plan(desired, against: convergedNetworkFacts(desired))
        plan.changes = [PlannedChange(action: .change, kind: .link, resource: "eth0", reason: "down")]
        #expect(throws: ApplyError.self) { try ApplyScript(plan: plan, desired: desired, holder: "test") }
        plan.changes = [PlannedChange(action: .change, kind: .batman, resource: "bat-ffx log_level", reason: "x")]
        #expect(throws: ApplyError.self) { try ApplyScript(plan: plan, desired: desired, holder: "test") }
        plan.changes = [PlannedChange(action: .change, kind: .link, resource: "bat-ffx", reason: "x", triggers: [.restart("ssh.service")])]
        #expect(throws: ApplyError.self) { try ApplyScript(plan: plan, desired: desired, holder: "test") }
    }

    @Test func aScriptWithoutLinkRepairsCarriesNoLinkFunctions() throws {
        var facts = convergedNetworkFacts(desired)
        facts.units["radvd.service"]?.active = false
        let script = try ApplyScript(plan: Planner.plan(desired, against: facts), desired: desired, holder: "test")
        #expect(!script.script.contains("gw_links()"))
    }

    /// The shell functions run for real in a throwaway network namespace, with networkctl and batctl recorded by stubs
    /// (shell functions shadow commands) and a private /run, so the drain marker is the namespace's own.
    func run(_ body: String, drained: Bool = false, setup: [String] = []) throws -> (status: Int32, log: String, links: String) {
        let namespace = try ThrowawayNamespace()
        for command in setup {
            let made = try namespace.exec(["sh", "-c", command])
            try #require(made.status == 0, "\(command): \(made.error)")
        }
        let script = """
            set -u
            mount -t tmpfs none /run || exit 90
            \(drained ? "mkdir -p /run/gwsetup && : > /run/gwsetup/drained" : "")
            networkctl() { echo "networkctl $*" >> /run/log; [ "$1" != reload ] || ip link add bat-ffx type veth peer name bat-peer; }
            batctl() { echo "batctl $*" >> /run/log; }
            \(ApplyScriptFunctions.linkDelete)
            \(LinkRepair.functions)
            \(body)
            st=$?
            cat /run/log 2>/dev/null
            exit $st
            """
        let result = try namespace.exec(["sh", "-c", script])
        let links = try namespace.exec(["ip", "-j", "-d", "link", "show"]).output
        return (result.status, result.output + result.error, links)
    }

    @Test func gwLinksReloadsOnlyWhenALinkIsMissingAndWaitsForIt() throws {
        let present = try run("gw_links br-ffx", setup: ["ip link add br-ffx type bridge"])
        #expect(present.status == 0)
        #expect(present.log == "networkctl reconfigure -- br-ffx\n")
        let missing = try run("gw_links bat-ffx br-ffx", setup: ["ip link add br-ffx type bridge"])
        #expect(missing.status == 0, "\(missing.log)")
        #expect(missing.log == "networkctl reload\nnetworkctl reconfigure -- bat-ffx br-ffx\n")
        #expect(missing.links.contains(#""ifname":"bat-ffx""#))
    }

    @Test func gwLinkDeleteRemovesTheInterfaceAndToleratesItsAbsence() throws {
        let deleted = try run("gw_link_delete bat-ffx && gw_link_delete bat-ffx", setup: ["ip link add bat-ffx type veth peer name bat-peer"])
        #expect(deleted.status == 0, "\(deleted.log)")
        #expect(!deleted.links.contains(#""ifname":"bat-ffx""#))
    }

    @Test func gwBatmanLeavesGwModeAloneOnADrainedGateway() throws {
        let arguments = "bat-ffx gw_mode server 100000kbit/100000kbit hop_penalty 60 ''"
        let normal = try run("gw_batman \(arguments)")
        #expect(normal.status == 0)
        #expect(normal.log == "batctl meshif bat-ffx gw_mode server 100000kbit/100000kbit\nbatctl meshif bat-ffx hop_penalty 60\n")
        let drained = try run("gw_batman \(arguments)", drained: true)
        #expect(drained.log == "batctl meshif bat-ffx hop_penalty 60\n")
    }

    @Test func gwBridgeMACSetsTheBridgesAddress() throws {
        let result = try run("gw_bridge_mac br-ffx 02:4b:7e:1c:9a:30", setup: ["ip link add br-ffx type bridge", "ip link set br-ffx address 02:11:22:33:44:55"])
        #expect(result.status == 0, "\(result.log)")
        #expect(result.links.contains(#""address":"02:4b:7e:1c:9a:30""#), "\(result.links)")
    }

    @Test func gwBridgeSnoopingSetsTheKernelOption() throws {
        let result = try run("gw_bridge_snooping br-ffx 0", setup: ["ip link add br-ffx type bridge mcast_snooping 1"])
        #expect(result.status == 0, "\(result.log)")
        #expect(result.links.contains(#""mcast_snooping":0"#))
    }
}
