import Foundation
import Testing
@testable import GatewayKit

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
            "F\t0\t\(hash)\t644\troot\troot", "C\t0\t\(Data(content.utf8).base64EncodedString())",
            "F\t1\t\(hash)\t600\troot\tadm",
            "U\t0\tLoadState=loaded", "U\t0\tActiveState=active", "U\t0\tUnitFileState=enabled",
            "U\t1\tLoadState=not-found", "U\t1\tActiveState=inactive", "U\t1\tUnitFileState=",
            "U\t2\tLoadState=loaded", "U\t2\tActiveState=failed", "U\t2\tUnitFileState=disabled",
            "S\t0\t1", "M\tbatman_adv", "M\tnf_conntrack",
            "K\t0\t\(String(repeating: "0f", count: 32))",
            "R4\t\(Data(rules.utf8).base64EncodedString())",
            "T\trestart fastd@ffx.service", "T\tcommand systemctl daemon-reload",
        ])
        let facts = try ProbeOutputParser.parse(text, request: request, gateway: "gw1")
        #expect(facts.packages == ["fastd": "22-1+b1", "dnsmasq": "2.89-1"])
        #expect(facts.users == ["root", "alice"])
        #expect(facts.files["/etc/radvd.conf"] == FileFact(sha256: hash, mode: 0o644, owner: "root", group: "root", content: content))
        #expect(facts.files["/etc/fastd/ffx/fastd.conf"] == FileFact(sha256: hash, mode: 0o600, owner: "root", group: "adm"))
        #expect(facts.units == ["dnsmasq.service": UnitFact(enabled: true, active: true), "radvd.service": UnitFact(enabled: false, active: false)])
        #expect(facts.sysctl == ["net.ipv4.ip_forward": "1"])
        #expect(facts.loadedModules == ["batman_adv", "nf_conntrack"])
        #expect(facts.fastdPublicKeys == ["ffx": String(repeating: "0f", count: 32)])
        #expect(facts.rulesV4 == rules && facts.rulesV6 == nil)
        #expect(facts.pendingTriggers == [.restart("fastd@ffx.service"), .command("systemctl daemon-reload")])
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
        ("F\t7\t\(String(repeating: "ab", count: 32))\t644\troot\troot", "line 3: F record names index 7 of 2"),
        ("F\t0\tnothex\t644\troot\troot", "line 3: \"nothex\" is not a sha256"),
        ("F\t0\t\(String(repeating: "ab", count: 32))\t9x4\troot\troot", "line 3: mode 9x4 is not octal"),
        ("K\t0\tshort", "line 3: fastd public key of ffx is not 64 hex digits"),
        ("T\treboot now", "line 3: \"reboot now\" in /var/lib/gwsetup/pending-triggers is not a trigger"),
        ("Z\twhat", "line 3: unknown record \"Z\""),
        ("P\tfastd", "line 3: P record has 2 fields, expected more"),
    ])
    func aDamagedRecordIsNamedByLine(record: String, message: String) {
        let error = #expect(throws: ProbeError.self) { try ProbeOutputParser.parse(output([record]), request: request, gateway: "gw1") }
        #expect(error?.description == "gw1: cannot read the gateway's facts: probe output \(message)")
    }

    @Test func triggersReadBackExactlyAsApplyWritesThem() {
        for trigger in [ServiceTrigger.restart("fastd@ffx.service"), .reload("ssh.service"), .command("systemctl daemon-reload")] {
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
