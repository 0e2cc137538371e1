import Testing
@testable import GatewayKit
import TestSupport

/// The keys file `gwsetup apply` will write: simple lines, exact positions for mistakes.
@Suite("Gluon keys file")
struct GluonKeysTests {
    let key = String(repeating: "AB", count: 32)

    @Test func readsEntriesSkippingCommentsAndBlankLinesAndLowercasesKeys() throws {
        let keys = try GluonKeys.parse("# gateway domain key\n\n  gw1\tffx  \(key)   # reported 2026-11-25\r\ngw2 ffx \(key.lowercased())\n", file: "keys")
        #expect(keys.entries.map(\.gateway) == ["gw1", "gw2"])
        #expect(keys.entries.allSatisfy { $0.key == key.lowercased() })
        #expect(keys.entries[0].location.description == "keys:3:3")
    }

    @Test(arguments: [
        ("gw1 ffx\n", "keys:1:1: want 'GATEWAY DOMAIN KEY' (3 fields), found 2"),
        ("gw1 ffx \(String(repeating: "ab", count: 32)) extra\n", "keys:1:74: want 'GATEWAY DOMAIN KEY' (3 fields), found 4"),
        ("\n  gw1 ffx abc\n", "keys:2:11: fastd public key of gateway 'gw1' in domain 'ffx' must be 64 hex digits"),
        ("gw1 ffx \(String(repeating: "ab", count: 32))\ngw1 ffx \(String(repeating: "cd", count: 32))\n", "keys:2:1: gateway 'gw1' in domain 'ffx' is already given at line 1"),
    ])
    func mistakesNameFileLineAndColumn(text: String, message: String) {
        #expect(throws: GluonKeysError.self) { try GluonKeys.parse(text, file: "keys") }
        do {
            _ = try GluonKeys.parse(text, file: "keys")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func entriesForUnknownGatewaysOrDomainsStopTheExport() throws {
        let site = try SiteLoader.load(path: TestPaths.example("single-gateway.yaml")).site
        let keys = try GluonKeys.parse("gw9 ffx \(key)\ngw1 nope \(key)\n", file: "keys")
        let error = try #require(throws: GluonExportError.self) { try GluonExporter.fragments(for: site, keys: keys) }
        #expect(error.problems.prefix(2) == ["keys:1:1: no gateway is called 'gw9' in the site", "keys:2:1: gateway 'gw1' has no addresses in domain 'nope'"])
    }
}
