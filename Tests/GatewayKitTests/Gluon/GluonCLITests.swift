import Foundation
import Testing
@testable import GatewayKit
import TestSupport

/// `gwsetup gluon import/export/check` as the built binary, the way an admin runs them.
@Suite struct GluonCLITests {
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    let directory: String

    init() throws { directory = try Shell.temporaryDirectory() }

    /// Runs gwsetup in `directory` with stdout and stderr kept apart.
    func gwsetup(_ arguments: String) throws -> Run {
        let result = try Shell.run("cd '\(directory)' && '\(TestPaths.gwsetupBinary)' \(arguments) 2>stderr.txt; status=$?; echo; echo \"exit:$status\"")
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
        let status = Int32(lines.last { $0.hasPrefix("exit:") }!.dropFirst(5))!
        let stdout = String(result.output[..<result.output.range(of: "\nexit:", options: .backwards)!.lowerBound].dropLast())
        let stderr = try String(contentsOfFile: directory + "/stderr.txt", encoding: .utf8)
        return Run(status: status, stdout: stdout, stderr: stderr)
    }

    @Test func importOfAMultidomainCheckoutWritesASiteThatLoads() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try GluonCorpusSites.layOut("tecff-2022-multidomain", in: directory + "/tecff")
        let run = try gwsetup("gluon import tecff/site.conf --output site.yaml")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        // tecff's own port per gateway is a fastd_port now, not a note.
        #expect(!run.stderr.contains("one port per domain"))
        #expect(!run.stderr.contains("does not load yet"))
        let loaded = try SiteLoader.load(path: directory + "/site.yaml")
        #expect(loaded.site.domains.map(\.code) == ["tecff_default", "tecff_legacy"])
        #expect(loaded.site.gateways.count == 6)
        #expect(loaded.site.gateway("gw03")?.domain("tecff_legacy")?.fastdPort == 10013)
    }

    @Test func importOfGluonsExampleListsEveryPlaceholderAndWhyTheFileDoesNotLoadYet() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let siteConf = try CorpusLocator.file("gluon-site/gluon-example-v2025.1.3.site.conf").path
        let run = try gwsetup("gluon import '\(siteConf)'")
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("# Written by `gwsetup gluon import`"))
        #expect(run.stdout.contains("prefix4: 10.xxx.0.0/20  # PLACEHOLDER: \(siteConf):26:3: '10.xxx.0.0/20' is not an IPv4 prefix"))
        #expect(run.stderr.contains("site.yaml:14: PLACEHOLDER prefix4:"))
        #expect(run.stderr.contains("PLACEHOLDER fastd_public_key: \(siteConf):142:15: the firmware's key is not 64 hex digits"))
        #expect(run.stderr.contains("note: the site file does not load yet; fill in the placeholders first. First problem: site.yaml:14:14: '10.xxx.0.0/20' is not an IPv4 prefix"))
    }

    @Test func aMalformedSiteConfIsOneLineWithFileLineColumnAndExit1() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "{\n  site_code = 'ffx',\n  prefix6 = 'fd00::/64' .. 'x',\n}\n".write(toFile: directory + "/site.conf", atomically: true, encoding: .utf8)
        let run = try gwsetup("gluon import site.conf")
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("error: site.conf:3:25: ") == true, "\(run.stderr)")
        let missing = try gwsetup("gluon import site.conf --domains nowhere")
        #expect(missing.status == 1 && missing.stderr.contains("nowhere: domains directory does not exist"))
    }

    @Test func exportThenCheckAgreesAndAChangedMTUExits2WithBothLocations() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let site = TestPaths.example("two-domains.yaml")
        var keys = ""
        for (index, pair) in [("gw1", "city"), ("gw2", "city"), ("gw1", "rural"), ("gw2", "rural")].enumerated() {
            keys += "\(pair.0) \(pair.1) \(String(repeating: String(index + 1), count: 64))\n"
        }
        try keys.write(toFile: directory + "/keys.txt", atomically: true, encoding: .utf8)

        let printed = try gwsetup("gluon export --site '\(site)' --keys keys.txt")
        #expect(printed.status == 0, "\(printed.stderr)")
        #expect(printed.stdout.contains("-- gwsetup gluon export for Freifunk Zweistadt: merge into domains/rural.conf"))
        #expect(printed.stdout.contains("remotes = { '\"gw2.ffy.example\" port 10002' }"))

        let written = try gwsetup("gluon export --site '\(site)' --keys keys.txt --output firmware")
        #expect(written.status == 0 && written.stdout == "Wrote site.conf, domains/city.conf, domains/rural.conf under firmware")
        let agree = try gwsetup("gluon check --site '\(site)' --keys keys.txt firmware/site.conf")
        #expect(agree.status == 0, "\(agree.stdout)\(agree.stderr)")
        #expect(agree.stdout == "The gateways and the firmware agree.")
        #expect(agree.stderr.isEmpty, "every key is known from keys.txt")
        let unkeyed = try gwsetup("gluon check --site '\(site)' firmware/site.conf")
        #expect(unkeyed.status == 0)
        #expect(unkeyed.stderr == "note: keys not compared for gw1/city, gw1/rural, gw2/city, gw2/rural: no fastd_public_key in the site and none in --keys\n")

        let rural = directory + "/firmware/domains/rural.conf"
        try String(contentsOfFile: rural, encoding: .utf8).replacingOccurrences(of: "mtu = 1406", with: "mtu = 1394")
            .write(toFile: rural, atomically: true, encoding: .utf8)
        let differ = try gwsetup("gluon check --site '\(site)' --keys keys.txt firmware/site.conf")
        #expect(differ.status == 2)
        let mtuLine = try #require(String(contentsOfFile: rural, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("mtu = 1394") }) + 1
        #expect(differ.stdout.split(separator: "\n").first == "domain 'rural': mtu: site 1406 (\(site):19:10), firmware 1394 (firmware/domains/rural.conf:\(mtuLine):7)")
        #expect(differ.stdout.hasSuffix("1 disagreement between \(site) and firmware/site.conf"))

        let json = try gwsetup("gluon check --json --site '\(site)' --keys keys.txt firmware/site.conf")
        #expect(json.status == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let items = try #require(object["disagreements"] as? [[String: Any]])
        #expect(items.count == 1)
        #expect(items.first?["field"] as? String == "mtu" && items.first?["firmware"] as? String == "1394" && items.first?["domain"] as? String == "rural")
        #expect(items.first?["gateway"] is NSNull, "unknown values are null, not left out")
        #expect(Set(items.first?.keys.map { $0 } ?? []) == ["domain", "gateway", "field", "site", "siteLocation", "firmware", "firmwareLocation"])
    }

    @Test func exportWithoutKeysNamesEveryMissingGatewayAndDomainAndExits1() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try gwsetup("gluon export --site '\(TestPaths.example("single-gateway.yaml"))'")
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == "error: gateway 'gw1' has no fastd public key for domain 'ffx': set gateways[].addresses.ffx.fastd_public_key in the site or give it in --keys\n")
        try "gw1 ffx nothex\n".write(toFile: directory + "/keys.txt", atomically: true, encoding: .utf8)
        let bad = try gwsetup("gluon export --site '\(TestPaths.example("single-gateway.yaml"))' --keys keys.txt")
        #expect(bad.status == 1 && bad.stderr == "error: keys.txt:1:9: fastd public key of gateway 'gw1' in domain 'ffx' must be 64 hex digits\n")
    }

    @Test func checkOfAMissingSiteConfExits1() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = try gwsetup("gluon check --site '\(TestPaths.example("single-gateway.yaml"))' nope/site.conf")
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: ") && run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
    }
}
