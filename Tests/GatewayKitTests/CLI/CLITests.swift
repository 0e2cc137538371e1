import Foundation
import Testing
@testable import GatewayKit
import TestSupport

/// The built gwsetup binary, run as an admin would run it.
@Suite struct CLITests {
    func gwsetup(_ arguments: String) throws -> Shell.Result {
        try Shell.run("'\(TestPaths.gwsetupBinary)' \(arguments) 2>/tmp/gwsetup-cli-stderr-$$; status=$?; cat /tmp/gwsetup-cli-stderr-$$ >&2; rm -f /tmp/gwsetup-cli-stderr-$$; exit $status")
    }

    @Test func offlinePlanOfTheExampleShowsEveryKindOfChangeAndExits2() throws {
        let result = try gwsetup("plan --offline --detailed-exitcode --site '\(TestPaths.example("single-gateway.yaml"))'")
        #expect(result.status == 2)
        for expected in ["+ package   fastd", "+ fastd-key /etc/fastd/ffx/secret.conf", "+ file      /etc/fastd/ffx/fastd.conf",
                         "~ sysctl    net.ipv4.ip_forward", "+ module    batman_adv", "+ unit      fastd@ffx.service", "Plan: "] {
            #expect(result.output.contains(expected), "missing '\(expected)' in:\n\(result.output)")
        }
        #expect(!result.output.contains("\u{1B}["), "colours when stdout is not a terminal")
    }

    @Test func planWithoutDetailedExitcodeExits0() throws {
        #expect(try gwsetup("plan --offline --site '\(TestPaths.example("single-gateway.yaml"))'").status == 0)
    }

    @Test func jsonPlanIsMachineReadableAndCarriesNoSecret() throws {
        // stdout alone: a fleet plan reports its progress on stderr.
        let result = try Shell.run("'\(TestPaths.gwsetupBinary)' plan --offline --json --site '\(TestPaths.example("two-domains.yaml"))' 2>/dev/null")
        #expect(result.status == 0)
        let plans = try PlanCoding.decode(Data(result.output.utf8), source: "stdout")
        #expect(plans.map(\.gateway) == ["gw1", "gw2"])
        #expect(plans[0].changes.contains { $0.kind == .fastdKey && $0.resource == "/etc/fastd/rural/secret.conf" })
        #expect(!result.output.contains("secret \""))
    }

    @Test func renderWritesTheTreeApplyWouldWrite() throws {
        let output = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = try gwsetup("render --site '\(TestPaths.example("two-domains.yaml"))' --gateway gw2 --output '\(output)'")
        #expect(result.status == 0, "\(result.output)")
        let desired = try desiredState(example: "two-domains.yaml", gateway: "gw2")
        for file in desired.files {
            #expect(try String(contentsOfFile: output + file.path, encoding: .utf8) == file.content)
        }
        let rules = try FileManager.default.attributesOfItem(atPath: output + "/etc/gwsetup/firewall/rules.v4")
        #expect((rules[.posixPermissions] as? Int) == 0o600)
    }

    @Test func aBrokenSiteIsOneLineWithFileLineColumnAndExit1() throws {
        let directory = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let site = directory + "/site.yaml"
        let text = try String(contentsOfFile: TestPaths.example("single-gateway.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "    prefix4: 10.99.0.0/16", with: "    prefx4: 10.99.0.0/16")
        try text.write(toFile: site, atomically: true, encoding: .utf8)
        let result = try gwsetup("plan --offline --site '\(site)'")
        #expect(result.status == 1)
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 1, "\(result.output)")
        #expect(lines.first?.hasPrefix("error: \(site):10:5: unknown key 'prefx4' in 'domains.0'; did you mean 'prefix4'?") == true, "\(result.output)")
    }

    /// Issue 23: render's help said --gateway may be left out "to work on all"; now it does, one tree per gateway.
    @Test func renderOfAMultiGatewaySiteWorksOnAllGateways() throws {
        let output = try Shell.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = try gwsetup("render --site '\(TestPaths.example("two-domains.yaml"))' --output '\(output)/out'")
        #expect(result.status == 0)
        #expect(FileManager.default.fileExists(atPath: output + "/out/gw1/etc/gwsetup/firewall/rules.v4"))
        #expect(FileManager.default.fileExists(atPath: output + "/out/gw2/etc/gwsetup/firewall/rules.v4"))
    }
}
