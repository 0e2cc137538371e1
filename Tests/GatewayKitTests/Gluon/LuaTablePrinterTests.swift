import Foundation
import Testing
@testable import GatewayKit
@testable import GluonKit

@Suite("LuaTablePrinter: printed tables read back unchanged")
struct LuaTablePrinterTests {
    @Test func generatedTablesRoundTrip() throws {
        var generator = RandomLuaTable(random: SeededRandom(seed: 0x5EED_6A7E))
        for iteration in 0..<400 {
            let table = generator.table(depth: 3)
            let text = LuaTablePrinter().print(table)
            let document: LuaDocument
            do {
                document = try LuaTableParser.parse(text, file: "generated-\(iteration).conf")
            } catch {
                Issue.record("iteration \(iteration): printed text does not parse: \(error)\n\(text)")
                return
            }
            #expect(document.table == table, "iteration \(iteration) changed in the round trip:\n\(text)")
            #expect(document.warnings.isEmpty)
            #expect(LuaTablePrinter().print(document.table) == text, "printing is not stable for iteration \(iteration)")
        }
    }

    @Test func everyCorpusFileRoundTrips() throws {
        let files = try CorpusLocator.files(in: "gluon-site", suffix: ".conf")
        #expect(files.count == 20)
        for url in files {
            let original = try LuaTableParser.parse(contentsOf: url)
            let printed = LuaTablePrinter().print(original.table)
            let reparsed = try LuaTableParser.parse(printed, file: url.lastPathComponent)
            #expect(reparsed.table == original.table, "\(url.lastPathComponent) changed in the round trip")
            #expect(LuaTablePrinter().print(reparsed.table) == printed)
        }
    }

    @Test func outputIsIndentedSiteConfSyntax() {
        let table = LuaTable(entries: [
            ("site_code", .string("ffx")),
            ("ntp_servers", .table(LuaTable(array: [.string("ntp1.ffx"), .string("ntp2.ffx")]))),
            ("mesh_vpn", .table(LuaTable(entries: [
                ("fastd", .table(LuaTable(entries: [("mtu", .integer(1312)), ("enabled", .boolean(true))]))),
                ("bandwidth", .float(0.5)),
            ]))),
            ("site-name", .string("it's \"quoted\"")),
            ("empty", .table(LuaTable())),
            ("welcome", .string("line one\nline two ]]\n")),
        ])
        #expect(LuaTablePrinter().print(table) == """
            {
              site_code = 'ffx',
              ntp_servers = { 'ntp1.ffx', 'ntp2.ffx' },
              mesh_vpn = {
                fastd = {
                  mtu = 1312,
                  enabled = true,
                },
                bandwidth = 0.5,
              },
              ['site-name'] = 'it\\'s "quoted"',
              empty = {},
              welcome = [=[
            line one
            line two ]]
            ]=],
            }

            """)
    }

    @Test func longListsBreakOverLines() {
        let servers = (1...12).map { LuaValue.string("fdca:ffee:8:10::\($0)001") }
        let printed = LuaTablePrinter().print(LuaTable(entries: [("servers", .table(LuaTable(array: servers)))]))
        #expect(printed.split(separator: "\n").count == 16)
        #expect(printed.contains("\n    'fdca:ffee:8:10::1001',\n"))
    }
}

@Suite("LuaTable literals: building tables for export")
struct LuaTableLiteralTests {
    @Test func swiftLiteralsBuildTheSameTableAsTheParser() throws {
        let built: LuaTable = [
            "site_code": "ffx",
            "ntp_servers": ["ntp1.ffx", "ntp2.ffx"],
            "mesh_vpn": ["fastd": ["mtu": 1312, "methods": ["null", "salsa2012+umac"]], "enabled": true],
            "probability": 0.08,
        ]
        let parsed = try LuaTableParser.parse("""
            { site_code = 'ffx', ntp_servers = { 'ntp1.ffx', 'ntp2.ffx' },
              mesh_vpn = { fastd = { mtu = 1312, methods = { 'null', 'salsa2012+umac' } }, enabled = true }, probability = 0.08 }
            """, file: "site.conf").table
        #expect(built == parsed)
        #expect(try LuaTableParser.parse(LuaTablePrinter().print(built), file: "export.conf").table == built)
    }
}
