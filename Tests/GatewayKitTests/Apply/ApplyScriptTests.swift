import Foundation
import Testing
@testable import GatewayKit

@Suite("A plan becomes one apply script whose steps run in a safe order")
struct ApplyScriptTests {
    static let desired = DesiredState(
        gateway: "gw1", packages: ["fastd", "radvd"], users: [UserAccount(name: "alice", groups: ["sudo"])],
        files: [
            ManagedFile(path: "/etc/systemd/network/30-bat-ffx.netdev", content: "[NetDev]\n", triggers: [.restart("systemd-networkd.service"), .restart("fastd@ffx.service")]),
            ManagedFile(path: "/etc/radvd.conf", content: "interface br-ffx {};\n", validator: #"radvd --configtest --config="$FILE""#, triggers: [.restart("radvd.service")]),
            ManagedFile(path: "/etc/systemd/system/gwsetup-firewall.service", content: "[Unit]\n", triggers: [.command(.daemonReload), .restart("gwsetup-firewall.service")]),
            ManagedFile(path: "/etc/sysctl.d/90-gwsetup.conf", content: "net.ipv4.ip_forward = 1\n", triggers: [.restart("systemd-sysctl.service")]),
        ],
        sysctl: [SysctlSetting(key: "net.ipv4.ip_forward", value: "1", optional: false)], modules: ["batman_adv"],
        fastdKeys: [FastdKey(instance: "ffx", secretPath: "/etc/fastd/ffx/secret.conf")],
        units: ["gwsetup-firewall.service", "systemd-networkd.service", "fastd@ffx.service", "radvd.service"].map(ManagedUnit.init(name:)))

    /// A host with radvd installed and running, nothing else of the gateway's.
    static let facts = HostFacts(
        packages: ["radvd": "1:2.19-1+b1"],
        files: ["/etc/radvd.conf": FileFact(sha256: String(repeating: "0", count: 64), mode: 0o644, owner: "root", group: "root")],
        users: ["root"],
        units: ["systemd-networkd.service": UnitFact(enabled: true, active: true), "radvd.service": UnitFact(enabled: true, active: true)],
        sysctl: ["net.ipv4.ip_forward": "0"])

    @Test func stepsRunPackagesKeysFilesKernelThenUnitsInStartOrderWithTheirRestarts() throws {
        let plan = Planner.plan(Self.desired, against: Self.facts)
        let script = try ApplyScript(plan: plan, desired: Self.desired, holder: "test")
        #expect(script.steps.map(\.title) == [
            "packages fastd",
            "user alice",
            "fastd-key ffx",
            "record-triggers 4 owed",
            "file /etc/systemd/network/30-bat-ffx.netdev",
            "file /etc/radvd.conf",
            "file /etc/systemd/system/gwsetup-firewall.service",
            "file /etc/sysctl.d/90-gwsetup.conf",
            "command systemctl daemon-reload",
            "module batman_adv",
            "sysctl net.ipv4.ip_forward=1",
            "restart systemd-sysctl.service",
            // One systemctl enable for all: each call is a daemon-reload.
            "enable gwsetup-firewall.service fastd@ffx.service",
            "start gwsetup-firewall.service",
            // networkd makes bat0 before fastd starts and joins it.
            "restart systemd-networkd.service",
            "start fastd@ffx.service",
            "restart radvd.service",
            "clear-triggers /var/lib/gwsetup/pending-triggers",
        ])
    }

    @Test func modulesAndSysctlSettingsGoInOneCallEach() throws {
        var desired = Self.desired
        desired.modules = ["batman_adv", "nf_conntrack"]
        desired.sysctl.append(SysctlSetting(key: "net.ipv6.conf.all.forwarding", value: "1", optional: false))
        let script = try ApplyScript(plan: Planner.plan(desired, against: Self.facts), desired: desired, holder: "test")
        #expect(script.steps.filter { $0.kind == .module }.map(\.resource) == ["batman_adv nf_conntrack"])
        #expect(script.steps.filter { $0.kind == .sysctl }.map(\.resource) == ["net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1"])
        #expect(script.script.contains("gw_sysctl 'net.ipv4.ip_forward=1' 'net.ipv6.conf.all.forwarding=1'"))
    }

    @Test func thePayloadCarriesExactlyTheChangedFilesAndTheScriptNoneOfTheirContent() throws {
        let desired = Self.desired
        var facts = Self.facts
        for file in desired.files where file.path != "/etc/radvd.conf" {
            facts.files[file.path] = FileFact(sha256: SHA256Digest.hex(file.content), mode: file.mode, owner: file.owner, group: file.group)
        }
        let script = try ApplyScript(plan: Planner.plan(desired, against: facts), desired: desired, holder: "test")
        #expect(script.payload == Data("interface br-ffx {};\n".utf8))
        #expect(!script.script.contains("interface br-ffx"), "file content belongs on stdin, never on a command line")
        #expect(script.script.contains("step 4 gw_file '/etc/radvd.conf' '644' 'root' 'root' '0' '21' '\(SHA256Digest.hex("interface br-ffx {};\n"))'"))
    }

    @Test func newFirewallRulesAreArmedForRollbackBeforeTheFirstFileIsWritten() throws {
        var desired = Self.desired
        desired.files.insert(ManagedFile(path: DesiredState.firewallRulesPath(.ipv4), content: "*filter\n:INPUT DROP [0:0]\nCOMMIT\n*nat\nCOMMIT\n",
                                         mode: 0o600, triggers: [.reload("gwsetup-firewall.service")]), at: 0)
        let rollback = FirewallRollback(token: "t1", timeoutSeconds: 90)
        let script = try ApplyScript(plan: Planner.plan(desired, against: Self.facts), desired: desired, holder: "test", firewallRollback: rollback)
        let titles = script.steps.map(\.title)
        let arm = try #require(titles.firstIndex(of: "firewall-arm rollback in 90s unless confirmed"))
        let firstFile = try #require(titles.firstIndex { $0.hasPrefix("file ") })
        #expect(arm == firstFile - 1)
        #expect(script.script.contains("tables_v4='filter nat'"), "a rollback must clear tables the new rules add")
        #expect(script.script.contains("systemd-run"), "the rollback runs detached from the SSH session")
        #expect(script.script.contains("--unit='\(rollback.rearmedUnit)'"), "the countdown restarts when the apply ends")
    }

    @Test func unchangedFirewallRulesArmNothing() throws {
        let script = try ApplyScript(plan: Planner.plan(Self.desired, against: Self.facts), desired: Self.desired, holder: "test",
                                     firewallRollback: FirewallRollback(token: "t1", timeoutSeconds: 90))
        #expect(!script.steps.contains { $0.kind == .firewallArm })
        #expect(!script.script.contains("gw_firewall_arm"))
    }

    @Test func anEmptyPlanMakesNoSteps() throws {
        let script = try ApplyScript(plan: Plan(gateway: "gw1", factsDigest: "", desiredDigest: "", changes: []), desired: Self.desired, holder: "test")
        #expect(script.steps.isEmpty)
    }

    @Test func aPlanFromAnotherSiteIsRefused() {
        let plan = Plan(gateway: "gw1", factsDigest: "", desiredDigest: "", changes: [PlannedChange(action: .add, kind: .file, resource: "/etc/other.conf", reason: "missing")])
        #expect(throws: ApplyError.planMismatch("the plan's file /etc/other.conf is not in the site")) {
            try ApplyScript(plan: plan, desired: Self.desired, holder: "test")
        }
    }

    @Test func anotherHostsOrSitesPlanIsStale() {
        let plan = Planner.plan(Self.desired, against: Self.facts)
        var changedHost = Self.facts
        changedHost.packages["fastd"] = "22-1"
        #expect(throws: ApplyError.stalePlan(planFile: "p.json", gateway: "gw1", reason: "has changed")) {
            try SavedPlan(file: "p.json", plan: plan).confirm(Planner.plan(Self.desired, against: changedHost))
        }
        #expect(throws: Never.self) { try SavedPlan(file: "p.json", plan: plan).confirm(Planner.plan(Self.desired, against: Self.facts)) }
    }
}
