import Foundation
import Testing
import Yams
@testable import GatewayKit
@testable import GatewayBase
@testable import GluonKit
import TestSupport

/// What gluon import writes as YAML and gluon export writes as Lua means exactly the strings it was given:
/// read back by Yams, by gwsetup's own Lua parser and by Debian's lua5.1 (the Lua Gluon runs).
@Suite struct GluonHostileOutputTests {
    /// Each character that ends a line, a comment or a string in YAML or Lua, and the openers of their other forms.
    static let hostile = [
        "a\nb", "x\n  evil: 1", "cr\rlf\r\n", "nul\u{0}", "esc\u{1B}[2J", "del\u{7F}", "nel\u{85}next", "ls\u{2028}evil: 1",
        "ps\u{2029}", "bom\u{FEFF}", "quotes ' \" `", "back\\slash\\", "]]", "[[", "]=]", "[=[x]=]", "x\n]]\n[[", "-- not a comment",
        "# not a comment", ": colon", "- dash", "&anchor", "*alias", "!tag", "%directive", "@at", "{flow}", "[list]", "yes", "0x10", "~", "",
        String(repeating: "long ", count: 400), "tab\there", "ünïcødé ✓",
    ]

    @Test func yamlCommentsNeverEndBeforeTheirLine() throws {
        for value in Self.hostile {
            var writer = YAMLWriter()
            writer.comment("site_code " + value)
            writer.line(0, "a", "1", comment: "Gluon domain code " + value)
            writer.line(0, "b", YAMLWriter.scalar(value), comment: value)
            let loaded = try #require(try Yams.load(yaml: writer.text) as? [String: Any], "\(Echo.quoted(value)) broke the YAML:\n\(writer.text)")
            #expect(Set(loaded.keys) == ["a", "b"], "\(Echo.quoted(value)) added keys: \(loaded.keys.sorted())")
            #expect(loaded["b"] as? String == value, "\(Echo.quoted(value)) read back as \(String(describing: loaded["b"]))")
            #expect(writer.text.split(separator: "\n", omittingEmptySubsequences: false).count == 4, "\(Echo.quoted(value)):\n\(writer.text)")
        }
    }

    func hex(_ text: String) -> String { text.utf8.map { String(format: "%02x", $0) }.joined() }

    /// Loads `text` the way Gluon does (`loadstring('return ' .. content)`) and lists every string as `key=hex`.
    func luaStrings(_ text: String) throws -> [String] {
        let script = #"""
            local source = io.read('*a')
            local chunk, problem = loadstring('return ' .. source)
            if not chunk then io.write('LOAD ERROR ', problem); os.exit(3) end
            local t = chunk()
            local function hex(s) return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end)) end
            local keys = {}
            for k in pairs(t) do keys[#keys + 1] = k end
            table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
            for _, k in ipairs(keys) do print(tostring(k) .. '=' .. hex(t[k])) end
            """#
        let run = try runCommand(["lua5.1", "-e", script], input: text)
        try #require(run.status == 0, "lua5.1 cannot read the output: \(run.output)\(run.error)\n\(text)")
        return run.output.split(separator: "\n").map(String.init)
    }

    @Test func exportedStringsReadBackUnchangedInLua51AndInGwsetupsParser() throws {
        var table = LuaTable()
        for (index, value) in Self.hostile.enumerated() { table.set(.string(value), forKey: .string("k\(String(format: "%02d", index))")) }
        let fragment = GluonExportFragment(file: "domains/x\n-- y.conf", table: table)
        let text = GluonExporter.render([fragment], siteName: "Evil\n}, site_code = 'pwned', x = {")
        let expected = Self.hostile.enumerated().map { "k\(String(format: "%02d", $0.offset))=\(hex($0.element))" }
        #expect(try luaStrings(text) == expected)
        let parsed = try LuaTableParser.parse(text, file: "export.conf")
        #expect(parsed.table == table)
        #expect(!text.split(separator: "\n").contains { $0.contains("pwned") && !$0.hasPrefix("--") })
    }

    @Test func everyHostileStringRoundTripsAloneAndInALongBracket() throws {
        for value in Self.hostile {
            var table = LuaTable()
            table.set(.string(value + "\n" + value), forKey: "multi")
            table.set(.string(value), forKey: "single")
            let text = LuaTablePrinter().print(table)
            #expect(try luaStrings(text) == ["multi=\(hex(value + "\n" + value))", "single=\(hex(value))"], "\(Echo.quoted(value)):\n\(text)")
            #expect(try LuaTableParser.parse(text, file: "x.conf").table == table)
        }
    }

    @Test func exportRefusesAPublicHostThatWouldBreakOutOfTheRemoteString() throws {
        var site = try SiteLoader.load(path: TestPaths.example("single-gateway.yaml")).site
        site.gateways[0].domains[0].fastdPublicKey = String(repeating: "0123456789abcdef", count: 4)
        site.gateways[0].publicHost = "gw1.example\" port 1; on up \"reboot"
        let error = try #require(throws: GluonExportError.self) { try GluonExporter.fragments(for: site) }
        #expect(error.problems == [#"gateway 'gw1': public host 'gw1.example" port 1; on up "reboot' is neither a DNS name nor an IP address, so nodes could not be told where to reach it"#])
        site.gateways[0].publicHost = "gw1.example"
        let text = GluonExporter.render(try GluonExporter.fragments(for: site), siteName: site.identity.name)
        let loaded = try runCommand(["lua5.1", "-e", "local t = assert(loadstring('return ' .. io.read('*a')))(); io.write(t.mesh_vpn.fastd.groups.backbone.peers.gw1.remotes[1])"], input: text)
        #expect(loaded.status == 0 && loaded.output == #""gw1.example" port 10000"#, "\(loaded.output)\(loaded.error)")
    }
}
