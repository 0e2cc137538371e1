import Testing
@testable import GatewayKit
@testable import GluonKit

/// Names and hosts from a site.conf become gateway names, fastd config strings and YAML: each has a grammar at import.
@Suite struct GluonNameGrammarTests {
    @Test(arguments: ["gw1.example.net", "gw1.example.net.", "a", "vpn_gw-01.ffx.example", String(repeating: "a", count: 63) + ".x"])
    func dnsNamesAreHosts(_ host: String) throws {
        #expect(GluonRemote.isDNSName(host))
        #expect(try GluonRemote.parse("\"\(host)\" port 10000").host == host)
    }

    @Test(arguments: ["gw1 evil", "gw1;reboot", "$(reboot)", "-oProxyCommand=x", "gw..example", ".gw", "gw-.example", "gw\u{1B}x",
                      String(repeating: "a", count: 64) + ".x", String(repeating: "abc.", count: 64) + "x", "ünï.example", "gw\"x", ""])
    func anythingElseIsNeitherANameNorAnAddress(_ host: String) {
        #expect(!GluonRemote.isDNSName(host))
        #expect(throws: GluonRemoteError.self) { try GluonRemote.parse("\"\(host)\" port 10000") }
        #expect(throws: GluonRemoteError.self) { try GluonRemote.parseEndpoint("\(host):51820") }
    }

    @Test func aBadHostIsAnErrorAtItsRemoteWhileAPlaceholderPortStaysANote() throws {
        func load(_ remote: String) throws -> GluonSite {
            let text = "{\n  site_code = 'ffx',\n  prefix6 = 'fd00::/64',\n  mesh_vpn = { fastd = { groups = { backbone = { peers = {\n    gw1 = { key = 'x', remotes = { '\(remote)' } },\n  } } } } },\n}\n"
            return try GluonSiteLoader.assemble(site: try LuaTableParser.parse(text, file: "site.conf"), domains: [])
        }
        let error = try #require(throws: GluonSiteError.self) { try load(#""gw 1" port 10000"#) }
        #expect(error.description.hasPrefix("site.conf:5:36: "), "\(error)")
        #expect(error.description.contains("'gw 1' is neither a DNS name nor an IP address"))
        #expect(throws: Never.self) { try load(#""gw1.example" port xxx"#) }
    }

    @Test(arguments: ["gw1", "vpn_gw-01", "gw1.ffx", String(repeating: "g", count: 63)])
    func peerNamesAreOneWord(_ name: String) { #expect(GluonFieldReader.isPeerName(name)) }

    @Test(arguments: ["", "gw 1", "gw\"1", "gw\n1", "gw$(x)", "gw/1", "ünï", String(repeating: "g", count: 64)])
    func otherPeerNamesAreRefused(_ name: String) { #expect(!GluonFieldReader.isPeerName(name)) }

    @Test func domainCodesAreOneWordAndDisplayNamesHoldNoControlCharacter() throws {
        let site = try LuaTableParser.parse("{\n  site_code = 'ffx',\n  default_domain = 'a',\n}\n", file: "site.conf")
        func assemble(_ names: String) throws -> GluonSite {
            let domain = try LuaTableParser.parse("{\n  domain_names = { \(names) },\n  prefix6 = 'fd00::/64',\n}\n", file: "a.conf")
            return try GluonSiteLoader.assemble(site: site, domains: [("a", domain)])
        }
        #expect(try assemble("a = 'Stadt Ä'").domains.map(\.code) == ["a"])
        let code = try #require(throws: GluonSiteError.self) { try assemble("a = 'A', ['b\\n  evil: 1'] = 'B'") }
        #expect(code.description == #"a.conf:2:29: domain_names has the code 'b\n  evil: 1'; a domain code is 1 to 63 letters, digits, '.', '_' and '-'"#)
        let display = try #require(throws: GluonSiteError.self) { try assemble("a = 'Stadt\\27[2J'") }
        #expect(display.description == #"a.conf:2:20: domain_names.a holds a control character: 'Stadt\u{1B}[2J'"#)
    }
}
