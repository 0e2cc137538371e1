import Testing
@testable import GatewayKit
@testable import GatewayBase
@testable import GluonKit

/// A Babel site.conf is named as Babel on import, at the key that shows it, and that key's value never reaches the terminal.
@Suite struct GluonBabelImportTests {
    /// A hand-written single-domain site with `extra` written on line 4.
    static func site(_ extra: String) throws -> GluonSite {
        let text = "{\n  site_code = 'ffx',\n  prefix6 = 'fd90::/64',\n  \(extra),\n}\n"
        return try GluonSiteLoader.assemble(site: try LuaTableParser.parse(text, file: "site.conf"), domains: [])
    }

    func babelNotes(_ gluon: GluonSite) -> [String] {
        GluonSiteImporter.makeSite(from: gluon).notes.filter { $0.contains("Babel") }
    }

    @Test func aMinimalSiteWithNodePrefix6IsBabel() throws {
        let gluon = try Self.site("node_prefix6 = 'fd91::/64'")
        #expect(gluon.domains.first?.babelKey == "node_prefix6")
        #expect(babelNotes(gluon) == [
            "note: site.conf:4:3: domain 'ffx' meshes with Babel (node_prefix6), not batman-adv; gwsetup builds batman-adv gateways, and Gluon v2025.1 dropped Babel from its core",
        ])
    }

    @Test func nodeClientPrefix6AloneAlsoShowsBabelAndABatmanSiteIsNot() throws {
        #expect(babelNotes(try Self.site("node_client_prefix6 = 'fd92::/64'")).first?.hasPrefix("note: site.conf:4:3: domain 'ffx' meshes with Babel (node_client_prefix6)") == true)
        let batman = try Self.site("mesh = { batman_adv = { routing_algo = 'BATMAN_V' } }")
        #expect(batman.domains.first?.babelKey == nil)
        #expect(babelNotes(batman).isEmpty)
    }

    @Test(arguments: [#"'fd91::/64\n  evil: 1'"#, #"'\27[2J\27]0;pwned\7'"#, "'\(String(repeating: "f", count: 5000))'", "{ '\\r\\n' }"])
    func aHostileNodePrefix6NeverReachesTheTerminal(value: String) throws {
        let result = GluonSiteImporter.makeSite(from: try Self.site("node_prefix6 = \(value)"))
        #expect(result.notes.filter { $0.contains("Babel") }.count == 1, "\(result.notes)")
        for note in result.notes {
            #expect(!note.unicodeScalars.contains(where: Echo.isControl), "\(Echo.quoted(note, limit: 300))")
            #expect(!note.contains("evil") && !note.contains("pwned") && !note.contains("fffff") && note.count < 400, "\(Echo.quoted(note, limit: 300))")
        }
        #expect(!result.yaml.unicodeScalars.contains { Echo.isControl($0) && $0 != "\n" })
    }
}
