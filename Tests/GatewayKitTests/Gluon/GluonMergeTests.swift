import Testing
@testable import GatewayKit
@testable import GatewayBase
@testable import GluonKit

@Suite("GluonMerge: the domain wins, tables merge like Gluon's check_site.lua")
struct GluonMergeTests {
    private func table(_ source: String) throws -> LuaTable {
        try LuaTableParser.parse(source, file: "test.conf").table
    }

    @Test func domainScalarsReplaceAndSiteOnlyKeysStay() throws {
        let merged = GluonMerge.merge(site: try table("{ site_code = 'ffx', mtu = 1280, timezone = 'UTC' }"),
                                      domain: try table("{ mtu = 1312, prefix4 = '10.0.0.0/8' }"))
        #expect(merged == (try table("{ site_code = 'ffx', mtu = 1312, timezone = 'UTC', prefix4 = '10.0.0.0/8' }")))
        #expect(merged.entries.map(\.key) == ["site_code", "mtu", "timezone", "prefix4"])
    }

    @Test func nestedTablesMergeKeyByKey() throws {
        let merged = GluonMerge.merge(
            site: try table("{ mesh_vpn = { fastd = { mtu = 1312, groups = { backbone = { limit = 1 } } } } }"),
            domain: try table("{ mesh_vpn = { fastd = { groups = { backbone = { peers = { gw1 = { key = 'k' } } } } } } }"))
        #expect(merged.value(at: ["mesh_vpn", "fastd", "mtu"]) == .integer(1312))
        #expect(merged.value(at: ["mesh_vpn", "fastd", "groups", "backbone", "limit"]) == .integer(1))
        #expect(merged.value(at: ["mesh_vpn", "fastd", "groups", "backbone", "peers", "gw1", "key"]) == .string("k"))
    }

    @Test func anEmptyDomainTableKeepsTheSitesValue() throws {
        let merged = GluonMerge.merge(site: try table("{ dns = { servers = { 'fd00::53' } } }"), domain: try table("{ dns = {} }"))
        #expect(merged.value(at: ["dns", "servers", 1]) == .string("fd00::53"))
    }

    @Test func anEmptySiteTableTakesTheDomainsEntries() throws {
        let merged = GluonMerge.merge(site: try table("{ peers = { -- moved to domain config\n } }"),
                                      domain: try table("{ peers = { sn01 = { key = 'a' } } }"))
        #expect(merged.value(at: ["peers", "sn01", "key"]) == .string("a"))
    }

    @Test func listsMergeIndexByIndexAsInGluon() throws {
        let merged = GluonMerge.merge(site: try table("{ ntp_servers = { 'a', 'b', 'c' } }"), domain: try table("{ ntp_servers = { 'x' } }"))
        #expect(merged.value(at: ["ntp_servers"]) == .table(LuaTable(array: [.string("x"), .string("b"), .string("c")])))
    }

    @Test func aListAndAKeyedTableDoNotMix() throws {
        let merged = GluonMerge.merge(site: try table("{ hide_domain = { 'dom0' }, x = { a = 1 } }"),
                                      domain: try table("{ hide_domain = { dom1 = true }, x = { 'list' } }"))
        #expect(merged["hide_domain"] == .table(try table("{ dom1 = true }")))
        #expect(merged["x"] == .table(LuaTable(array: [.string("list")])))
    }

    @Test func differentTypesReplace() throws {
        let merged = GluonMerge.merge(site: try table("{ hide_domain = { 'a' }, mtu = { 1 }, enabled = 1 }"),
                                      domain: try table("{ hide_domain = true, mtu = 1312, enabled = false }"))
        #expect(merged == (try table("{ hide_domain = true, mtu = 1312, enabled = false }")))
    }

    @Test func mergedValuesRememberWhichFileTheyCameFrom() throws {
        let site = try LuaTableParser.parse("{ mtu = 1280, methods = { 'null' } }", file: "site.conf").table
        let domain = try LuaTableParser.parse("{\n  mtu = 1312 }", file: "domains/a.conf").table
        let merged = GluonMerge.merge(site: site, domain: domain)
        #expect(merged.location(forKey: "mtu") == SourceLocation(file: "domains/a.conf", line: 2, column: 3))
        #expect(merged.location(forKey: "methods")?.file == "site.conf")
    }
}
