import Foundation
@testable import GatewayBase
import Testing
@testable import GatewayKit
import TestSupport

/// What gwsetup's help promises, run through the built binary: placeholders stop plan and apply, --gateway takes
/// several names, render works on every gateway, saved plans can be shown, -v talks, and fleets report progress.
@Suite struct CLIPromisesTests {
    static let example = TestPaths.example("single-gateway.yaml")
    static let fleet = TestPaths.example("two-domains.yaml")

    /// The example site with the import's placeholder markers on two lines, one of them also holding a value that
    /// would not load (a placeholder reported, not a type error).
    func placeholderSite(_ folder: ScratchFolder) throws -> String {
        let text = try String(contentsOfFile: Self.example, encoding: .utf8)
            .replacingOccurrences(of: "    uplink: eth0", with: "    uplink: eth0  # PLACEHOLDER: the gateway's WAN interface")
            .replacingOccurrences(of: "  ssh_port: 22", with: "  ssh_port: PLACEHOLDER  # PLACEHOLDER: the port sshd listens on")
        return try folder.write("site.yaml", text)
    }

    func lineNumber(of fragment: String, in file: String) throws -> Int {
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        return try #require(lines.firstIndex { $0.contains(fragment) }) + 1
    }

    // MARK: placeholders

    @Test func planAndApplyRefuseASiteWithPlaceholdersListingEachOne() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let site = try placeholderSite(folder)
        let port = try lineNumber(of: "ssh_port: PLACEHOLDER", in: site)
        let uplink = try lineNumber(of: "uplink: eth0", in: site)
        let expected = """
            error: \(site):\(port):26: placeholder: access.ssh_port: the port sshd listens on
            error: \(site):\(uplink):19: placeholder: gateways.0.uplink: the gateway's WAN interface

            """
        for arguments in [["plan", "--offline", "--site", site], ["plan", "--site", site], ["apply", "--yes", "--site", site]] {
            let result = try runGwsetup(arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.output == "")
            // Nothing was contacted: gw1.ffx.example does not resolve, and a connection attempt would say so.
            #expect(result.error == expected, "\(arguments)")
        }
    }

    @Test func renderAndVerifyWarnAboutPlaceholdersAndStillWork() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let text = try String(contentsOfFile: Self.example, encoding: .utf8)
            .replacingOccurrences(of: "    uplink: eth0", with: "    uplink: eth0  # PLACEHOLDER: the gateway's WAN interface")
        let site = try folder.write("site.yaml", text)
        let uplink = try lineNumber(of: "uplink: eth0", in: site)
        let render = try runGwsetup(["render", "--site", site, "--output", folder.path + "/out"])
        #expect(render.status == 0)
        #expect(render.error == "warning: \(site):\(uplink):19: placeholder: gateways.0.uplink: the gateway's WAN interface\n")
        #expect(FileManager.default.fileExists(atPath: folder.path + "/out/etc/fastd/ffx/fastd.conf"))
    }

    @Test func aHashInsideAQuotedValueIsNoPlaceholder() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let text = try String(contentsOfFile: Self.example, encoding: .utf8)
            .replacingOccurrences(of: "  name: Freifunk Example", with: "  name: \"Freifunk # PLACEHOLDER: not a comment\"")
        let site = try folder.write("site.yaml", text)
        #expect(text.contains("# PLACEHOLDER"))
        let result = try runGwsetup(["plan", "--offline", "--site", site])
        #expect(result.status == 0, "\(result.error)")
    }

    // MARK: --gateway

    @Test func gatewayIsRepeatableAndTakesACommaListInSiteOrder() throws {
        for selection in [["--gateway", "gw1", "--gateway", "gw2"], ["--gateway", "gw2,gw1"], ["--gateway", "gw2", "--gateway", "gw1,gw2"]] {
            let result = try runGwsetup(["plan", "--offline", "--json", "--site", Self.fleet] + selection)
            #expect(result.status == 0, "\(selection): \(result.error)")
            let plans = try PlanCoding.decode(Data(result.output.utf8), source: "stdout")
            #expect(plans.map(\.gateway) == ["gw1", "gw2"], "\(selection)")
        }
        let one = try runGwsetup(["plan", "--offline", "--json", "--site", Self.fleet, "--gateway", "gw2"])
        #expect(try PlanCoding.decode(Data(one.output.utf8), source: "stdout").map(\.gateway) == ["gw2"])
    }

    @Test func aBadGatewayListIsOneLine() throws {
        let empty = try runGwsetup(["plan", "--offline", "--site", Self.fleet, "--gateway", "gw1,"])
        #expect(empty.status == 1)
        #expect(empty.error.hasPrefix("error: --gateway 'gw1,' holds an empty name"), "\(empty.error)")
        let unknown = try runGwsetup(["plan", "--offline", "--site", Self.fleet, "--gateway", "gw1,gw3"])
        #expect(unknown.status == 1)
        #expect(unknown.error == "error: \(Self.fleet): no gateway 'gw3' (the site has gw1, gw2); did you mean 'gw1'?\n")
    }

    // MARK: render

    @Test func renderWithoutGatewayWritesOneTreePerGatewayAndAgainLater() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let output = folder.path + "/fleet"
        for _ in 0..<2 {
            let result = try runGwsetup(["render", "--site", Self.fleet, "--output", output])
            #expect(result.status == 0, "\(result.error)")
            #expect(result.output.contains("files for gw1 into \(output)/gw1\n") && result.output.contains("files for gw2 into \(output)/gw2\n"))
        }
        for gateway in ["gw1", "gw2"] {
            let desired = try desiredState(example: "two-domains.yaml", gateway: gateway)
            for file in desired.files {
                #expect(try String(contentsOfFile: "\(output)/\(gateway)\(file.path)", encoding: .utf8) == file.content)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: output + "/etc"))
        let named = try runGwsetup(["render", "--site", Self.fleet, "--gateway", "gw1,gw2", "--output", folder.path + "/named"])
        #expect(named.status == 0 && FileManager.default.fileExists(atPath: folder.path + "/named/gw2/etc/gwsetup/firewall/rules.v4"))
    }

    @Test func renderRefusesAGatewayFolderThatIsASymbolicLink() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let output = folder.path + "/fleet"
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        try "".write(toFile: output + "/" + RenderTree.markerName, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: folder.path + "/elsewhere", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: output + "/gw2", withDestinationPath: folder.path + "/elsewhere")
        let result = try runGwsetup(["render", "--site", Self.fleet, "--output", output])
        #expect(result.status == 1)
        #expect(result.error == "error: \(output)/gw2 is a symbolic link inside the output folder; render does not follow it\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/elsewhere").isEmpty)
    }

    // MARK: verify

    @Test func verifyWithRuleFilesNeedsOneGatewayAndWorksOnANamedOne() throws {
        let result = try runGwsetup(["verify", "--site", Self.fleet, "--rules", "/dev/null"])
        #expect(result.status == 1)
        #expect(result.error == "error: --rules and --rules6 hold one gateway's rules; name it with --gateway (gw1, gw2)\n")
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let rules = try folder.write("rules.v4", try renderedRules("two-domains.yaml", gateway: "gw2", .ipv4))
        let named = try runGwsetup(["verify", "--site", Self.fleet, "--gateway", "gw2", "--rules", rules])
        #expect(named.status == 0, "\(named.output)\(named.error)")
        #expect(named.output.hasPrefix("gwsetup verify for gw2\n"))
    }

    // MARK: show

    @Test func showPrintsASavedPlanAsPlanDidAndItsJSONAsPlanJSON() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let file = folder.path + "/plan.json"
        let saved = try runGwsetup(["plan", "--offline", "--site", Self.fleet, "--out", file, "--json"])
        #expect(saved.status == 0)
        let text = try runGwsetup(["show", file])
        #expect(text.status == 0, "\(text.error)")
        let plans = try PlanCoding.decode(try Data(contentsOf: URL(fileURLWithPath: file)), source: file)
        for plan in plans {
            #expect(text.output.contains("saved plan for \(plan.gateway) in \(file) (facts \(plan.factsDigest.prefix(12)), site \(plan.desiredDigest.prefix(12)))"))
            #expect(text.output.contains("Plan: \(plan.summaryText)."))
        }
        #expect(text.output.contains("+ fastd-key /etc/fastd/rural/secret.conf"))
        #expect(text.output.hasSuffix("2 gateways in \(file): gw1, gw2\n"))
        let json = try runGwsetup(["show", "--json", file])
        #expect(json.status == 0)
        #expect(json.output == saved.output)
    }

    @Test func showEscapesWhatAHostileFileHoldsAndRefusesWhatIsNotAPlan() throws {
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let digest = String(repeating: "a", count: 64)
        let hostile = try folder.write("hostile.json", """
            {"version": 1, "plans": [{"gateway": "gw1", "factsDigest": "\(digest)", "desiredDigest": "\(digest)", "changes": [
              {"action": "change", "kind": "file", "resource": "/etc/x", "reason": "content differs", "triggers": ["restart ssh.service"],
               "diff": "@@ -1 +1 @@\\n-a\\n+\\u001b]0;owned\\u0007\\u001b[2J", "digest": "\(digest)"}]}]}
            """)
        let shown = try runGwsetup(["show", hostile])
        #expect(shown.status == 0, "\(shown.error)")
        #expect(!shown.output.contains("\u{1B}") && !shown.output.contains("\u{7}"))
        #expect(shown.output.contains("+\\u{1B}]0;owned\\u{7}\\u{1B}[2J"), "\(shown.output)")
        #expect(shown.output.contains("~ file /etc/x  content differs → restart ssh.service"))

        let extra = try folder.write("extra.json", #"{"version": 1, "plans": [], "run": "rm -rf /"}"#)
        let refused = try runGwsetup(["show", extra])
        #expect(refused.status == 1)
        #expect(refused.error == "error: \(extra): the file has a key gwsetup never writes: 'run'\n")
        let old = try folder.write("old.json", #"{"version": 7, "plans": []}"#)
        #expect(try runGwsetup(["show", old]).error == "error: \(old): plan file version 7 is not supported\n")
        let missing = try runGwsetup(["show", folder.path + "/none.json"])
        #expect(missing.status == 1 && missing.error == "error: \(folder.path)/none.json: cannot read the plan file\n")
    }

    // MARK: -v and progress

    @Test func verboseAddsWhatRunsOnStderrAndNothingOnStdout() throws {
        let quiet = try runGwsetup(["plan", "--offline", "--site", Self.example])
        let verbose = try runGwsetup(["plan", "--offline", "-v", "--site", Self.example])
        #expect(quiet.error == "")
        #expect(verbose.status == quiet.status && verbose.output == quiet.output)
        #expect(verbose.error.contains("loaded site ffx with 1 gateways"), "\(verbose.error)")
        #expect(verbose.error.contains("rendered") && verbose.error.contains("files"), "\(verbose.error)")
        let long = try runGwsetup(["render", "--verbose", "--site", Self.example, "--output", "/tmp/gwsetup-verbose-\(UUID().uuidString)"])
        #expect(long.status == 0 && long.error.contains("wrote "), "\(long.error)")
    }

    @Test func aFleetPlanPrintsAStartAndAnEndLinePerGatewayOnStderr() throws {
        let result = try runGwsetup(["plan", "--offline", "--parallel", "1", "--site", Self.fleet])
        #expect(result.status == 0)
        let lines = result.error.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(result.error)")
        #expect(lines.first == "gw1: planning…")
        #expect(lines.contains { $0.hasPrefix("gw1: changes: ") && $0.hasSuffix("[1/2 done]") }, "\(lines)")
        #expect(lines.contains("gw2: planning…"))
        #expect(lines.last?.hasPrefix("gw2: changes: ") == true && lines.last?.hasSuffix("[2/2 done]") == true, "\(lines)")
        // With --parallel 1 the second starts only after the first ended: progress shows as it happens.
        #expect(lines.firstIndex(of: "gw2: planning…")! > lines.firstIndex { $0.hasPrefix("gw1: changes") }!)
        let single = try runGwsetup(["plan", "--offline", "--site", Self.fleet, "--gateway", "gw1"])
        #expect(single.error == "")
    }
}
