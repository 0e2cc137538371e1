import Foundation
import Testing
@testable import GatewayKit
import TestSupport

/// Issue 23.3 and 27.4 through the built binary: import lists its placeholders, keeps an edited file, ends with a newline;
/// check names a remote export would lose and exits 2.
@Suite struct GluonImportCLITests {
    let directory: String

    init() throws { directory = try Shell.temporaryDirectory() }

    func gwsetup(_ arguments: String) throws -> (status: Int32, stderr: String) {
        let result = try Shell.run("cd '\(directory)' && '\(TestPaths.gwsetupBinary)' \(arguments) >stdout.txt 2>stderr.txt; echo \"exit:$?\"")
        let status = Int32(result.output.split(separator: "\n").last { $0.hasPrefix("exit:") }!.dropFirst(5))!
        return (status, try String(contentsOfFile: directory + "/stderr.txt", encoding: .utf8))
    }

    @Test func importListsEveryPlaceholderWithFileLineAndKeepsAnExistingFile() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let siteConf = try CorpusLocator.file("gluon-site/ffrn-2026-semicolons.site.conf").path
        let first = try gwsetup("gluon import '\(siteConf)' --output site.yaml")
        #expect(first.status == 0, "\(first.stderr)")
        let written = try String(contentsOfFile: directory + "/site.yaml", encoding: .utf8)
        #expect(written.hasSuffix("\n"))
        let lines = written.split(separator: "\n", omittingEmptySubsequences: false)
        let marked = lines.indices.filter { lines[$0].contains("# PLACEHOLDER: ") }.map { $0 + 1 }
        #expect(marked.count >= 10)
        for line in marked { #expect(first.stderr.contains("site.yaml:\(line): PLACEHOLDER "), "line \(line) not listed:\n\(first.stderr)") }

        try "edited\n".write(toFile: directory + "/site.yaml", atomically: true, encoding: .utf8)
        let again = try gwsetup("gluon import '\(siteConf)' --output site.yaml")
        #expect(again.status == 1)
        #expect(again.stderr.contains("site.yaml: already exists") && again.stderr.contains("--force"), "\(again.stderr)")
        #expect(try String(contentsOfFile: directory + "/site.yaml", encoding: .utf8) == "edited\n")
        let forced = try gwsetup("gluon import '\(siteConf)' --output site.yaml --force")
        #expect(forced.status == 0)
        #expect(try String(contentsOfFile: directory + "/site.yaml", encoding: .utf8) == written)
    }

    @Test func checkNamesARemoteExportWouldLoseAndExits2() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let siteConf = try CorpusLocator.file("gluon-site/ffnord-2019-ipv4-ipv6-remotes.site.conf").path
        #expect(try gwsetup("gluon import '\(siteConf)' --output site.yaml").status == 0)
        var site = try String(contentsOfFile: directory + "/site.yaml", encoding: .utf8)
        // Drop the IPv6 fallback of the first gateway: export would no longer write it.
        let lost = "\"ipv6 \\\"1.gw.freifunknord.de\\\" port 10050\""
        #expect(site.contains(", " + lost), "\(site)")
        site = site.replacingOccurrences(of: ", " + lost, with: "")
        try site.write(toFile: directory + "/site.yaml", atomically: true, encoding: .utf8)
        let run = try gwsetup("gluon check --site site.yaml '\(siteConf)'")
        #expect(run.status == 2, "\(run.stderr)")
        let out = try String(contentsOfFile: directory + "/stdout.txt", encoding: .utf8)
        #expect(out.contains("gateway 'ffnord-vpn1': remote: site (gluon export drops it) (site.yaml:"), "\(out)")
        #expect(out.contains("firmware 'ipv6 \"1.gw.freifunknord.de\" port 10050' (\(siteConf):164:"), "\(out)")
    }
}
