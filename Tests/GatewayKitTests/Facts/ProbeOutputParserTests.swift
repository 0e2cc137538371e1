import Foundation
import Testing
@testable import GatewayKit
@testable import GatewayBase

@Suite("The probe's framed output reads back into facts, and damaged output is refused")
struct ProbeOutputParserTests {
    let request = ProbeRequest(
        files: ["/etc/radvd.conf", "/etc/fastd/ffx/fastd.conf"], units: ["dnsmasq.service", "fastd@ffx.service", "radvd.service"],
        sysctlKeys: ["net.ipv4.ip_forward"], modules: ["batman_adv"],
        fastdKeys: [FastdKey(instance: "ffx", secretPath: "/etc/fastd/ffx/secret.conf")])
    let hash = String(repeating: "ab", count: 32)

    func output(_ records: [String], header: Bool = true, trailer: Bool = true) -> String {
        ((header ? ["Welcome to a noisy login", ProbeScript.header] : []) + records + (trailer ? [ProbeScript.trailer] : []))
            .joined(separator: "\n") + "\n"
    }

    @Test func everyKindOfRecordLandsInItsFact() throws {
        let content = "interface br-ffx {\n\tAdvSendAdvert on;\n};\n"
        let rules = "*filter\n:INPUT DROP [0:0]\nCOMMIT\n"
        let text = output([
            "P\tfastd\t22-1+b1", "P\tdnsmasq\t2.89-1",
            "A\troot", "A\talice",
            "F\t/etc/radvd.conf\t644\troot\troot", "F\t/etc/fastd/ffx/fastd.conf\t600\troot\tadm",
            "H\t/etc/radvd.conf\t\(hash)", "H\t/etc/fastd/ffx/fastd.conf\t\(hash)",
            "c\t/etc/radvd.conf\tinterface br-ffx {", "c\t/etc/radvd.conf\t\tAdvSendAdvert on;", "c\t/etc/radvd.conf\t};",
            "U\t0\tLoadState=loaded", "U\t0\tActiveState=active", "U\t0\tUnitFileState=enabled",
            "U\t1\tLoadState=not-found", "U\t1\tActiveState=inactive", "U\t1\tUnitFileState=",
            "U\t2\tLoadState=loaded", "U\t2\tActiveState=failed", "U\t2\tUnitFileState=disabled",
            "S\t/proc/sys/net/ipv4/ip_forward\t1", "M\tbatman_adv", "M\tnf_conntrack", "M\tbatman_adv",
            "K\t0\t\(String(repeating: "0f", count: 32))",
            "R4", "r4\t*filter", "r4\t:INPUT DROP [0:0]", "r4\tCOMMIT",
            "T\trestart fastd@ffx.service", "T\tcommand systemctl daemon-reload",
        ])
        let facts = try ProbeOutputParser.parse(text, request: request, gateway: "gw1")
        #expect(facts.packages == ["fastd": "22-1+b1", "dnsmasq": "2.89-1"])
        #expect(facts.users == ["root", "alice"])
        #expect(facts.files["/etc/radvd.conf"] == FileFact(sha256: hash, mode: 0o644, owner: "root", group: "root", content: content))
        #expect(facts.files["/etc/fastd/ffx/fastd.conf"] == FileFact(sha256: hash, mode: 0o600, owner: "root", group: "adm", content: ""))
        #expect(facts.units == ["dnsmasq.service": UnitFact(enabled: true, active: true), "radvd.service": UnitFact(enabled: false, active: false)])
        #expect(facts.sysctl == ["net.ipv4.ip_forward": "1"])
        #expect(facts.loadedModules == ["batman_adv", "nf_conntrack"])
        #expect(facts.fastdPublicKeys == ["ffx": String(repeating: "0f", count: 32)])
        #expect(facts.rulesV4 == rules && facts.rulesV6 == nil)
        #expect(facts.pendingTriggers == [.restart("fastd@ffx.service"), .command(.daemonReload)])
    }

    @Test func outputCutOffBeforeTheEndMarkerIsRefusedNotReadAsNothingInstalled() {
        let error = #expect(throws: ProbeError.self) {
            try ProbeOutputParser.parse(output(["P\tfastd\t22-1"], trailer: false), request: request, gateway: "ssh root@gw1")
        }
        #expect(error?.description == "ssh root@gw1: cannot read the gateway's facts: probe output ends without its end marker (cut off)")
    }

    @Test func outputWithoutTheHeaderIsRefused() {
        #expect(throws: ProbeError.self) { try ProbeOutputParser.parse("P\tfastd\t22\n", request: request, gateway: "gw1") }
    }

    @Test(arguments: [
        ("F\t/etc/shadow\t640\troot\tshadow", "line 3: F record names /etc/shadow, which was not asked for"),
        ("H\t/etc/radvd.conf\tnothex", "line 3: \"nothex\" is not a sha256"),
        ("F\t/etc/radvd.conf\t9x4\troot\troot", "line 3: mode 9x4 is not octal"),
        ("r4\t*filter", "line 3: ruleset line before its R4 record"),
        ("U\t5\tActiveState=active", "line 3: U record names index 5 of 3"),
        ("K\t0\tshort", "line 3: fastd public key of ffx is not 64 hex digits"),
        ("Z\twhat", "line 3: unknown record \"Z\""),
        ("P\tfastd", "line 3: P record has 2 fields, expected more"),
    ])
    func aDamagedRecordIsNamedByLine(record: String, message: String) {
        let error = #expect(throws: ProbeError.self) { try ProbeOutputParser.parse(output([record]), request: request, gateway: "gw1") }
        #expect(error?.description == "gw1: cannot read the gateway's facts: probe output \(message)")
    }

    /// The pending-triggers file is the gateway's: a line gwsetup never writes is dropped with a warning, never run.
    @Test(arguments: ["reboot now", "command sh -c 'curl x|sh'", "command systemctl daemon-reload; reboot", "restart -oProxy.service",
                      "restart ssh.service; reboot", "restart  ssh.service", "reload ssh", "restart $(reboot).service", "command\tset-timezone"])
    func aPendingTriggerGwsetupNeverWritesIsDroppedAndNamed(line: String) throws {
        let facts = try ProbeOutputParser.parse(output(["T\t\(line)", "T\trestart ssh.service"]), request: request, gateway: "gw1")
        #expect(facts.pendingTriggers == [.restart("ssh.service")])
        #expect(facts.warnings == ["gw1: ignoring \(Echo.quoted(line)) in /var/lib/gwsetup/pending-triggers: not a trigger gwsetup writes"])
    }

    @Test func accountsBelowUID1000AreSystemAccountsAndTheZoneIsReadFromTheLink() throws {
        let facts = try ProbeOutputParser.parse(output(["A\troot\t0", "A\tsshd\t105", "A\talice\t1000", "A\tnobody\t65534",
                                                        "L\t/usr/share/zoneinfo/Europe/Berlin"]), request: request, gateway: "gw1")
        #expect(facts.users == ["root", "sshd", "alice", "nobody"])
        #expect(facts.systemAccounts == ["root": 0, "sshd": 105])
        #expect(facts.localtime == "Europe/Berlin")
        #expect(try ProbeOutputParser.parse(output(["L"]), request: request, gateway: "gw1").localtime == "")
    }

    @Test func unitNamesFollowSystemdsGrammar() {
        for name in ["fastd@ffx.service", "systemd-networkd.service", "gwsetup-firewall.service", "dev-sda1.mount", "a\\x2db.service"] {
            #expect(UnitName.isValid(name), "\(name)")
        }
        for name in ["ssh", "-oProxyCommand=x.service", "a b.service", "a;b.service", "a@b@c.service", ".service", "@x.service",
                     "$(x).service", "x.service\n", String(repeating: "a", count: 250) + ".service"] {
            #expect(!UnitName.isValid(name), "\(name)")
        }
    }

    @Test func triggersReadBackExactlyAsApplyWritesThem() {
        for trigger in [ServiceTrigger.restart("fastd@ffx.service"), .reload("ssh.service"), .command(.daemonReload)] {
            #expect(ServiceTrigger(stateLine: trigger.stateLine) == trigger)
        }
    }

    @Test func theFactsDigestDoesNotDependOnSetOrder() {
        var small = Set<String>()
        var large = Set<String>(minimumCapacity: 4096)
        for name in (0..<40).map({ "user\($0)" }) { small.insert(name) }
        for name in (0..<40).map({ "user\($0)" }).reversed() { large.insert(name) }
        #expect(Planner.digest(HostFacts(users: small, loadedModules: small)) == Planner.digest(HostFacts(users: large, loadedModules: large)))
    }
}
