import Foundation
import Testing
@testable import GatewayKit
@testable import GluonKit

@Suite("GluonSiteLoader: semantic errors say what and where")
struct GluonSiteLoaderTests {
    private func document(_ source: String, file: String) throws -> LuaDocument {
        try LuaTableParser.parse(source, file: file)
    }

    private func siteError(site: String, domains: [(String, String)] = []) throws -> GluonSiteError? {
        let siteDocument = try document(site, file: "site.conf")
        let domainDocuments = try domains.map { (code: $0.0, document: try document($0.1, file: "domains/\($0.0).conf")) }
        do {
            _ = try GluonSiteLoader.assemble(site: siteDocument, domains: domainDocuments)
            return nil
        } catch {
            return error
        }
    }

    @Test func wrongTypesPointAtTheValue() throws {
        let error = try siteError(site: "{\n  site_code = 'ffx',\n  prefix6 = 'fd00::/64',\n  mesh_vpn = { fastd = {\n    mtu = '1312' } },\n}")
        #expect(error?.description == "site.conf:5:5: mesh_vpn.fastd.mtu must be an integer, found string '1312'")
        let list = try siteError(site: "{ site_code = 'ffx', prefix6 = 'fd00::/64', ntp_servers = 'ntp.example' }")
        #expect(list?.description == "site.conf:1:45: ntp_servers must be a list of strings, found string 'ntp.example'")
        let limit = try siteError(site: "{ site_code = 'x', prefix6 = 'p', mesh_vpn = { fastd = { groups = { backbone = { limit = 1.5 } } } } }")
        #expect(limit?.description == "site.conf:1:82: mesh_vpn.fastd.groups.backbone.limit must be an integer, found float 1.5")
    }

    @Test func requiredKeysAreNamedWhenMissing() throws {
        #expect(try siteError(site: "{ prefix6 = 'fd00::/64' }")?.description == "site.conf: site_code is missing; Gluon needs the community's short code")
        #expect(try siteError(site: "{ site_code = 'ffx' }")?.description == "site.conf: prefix6 is missing; Gluon needs the mesh's IPv6 prefix (in site.conf or the domain file)")
        let domainError = try siteError(site: "{ site_code = 'ffx', default_domain = 'a' }", domains: [("a", "{ domain_names = { a = 'A' } }")])
        #expect(domainError?.description == "domains/a.conf: prefix6 is missing; Gluon needs the mesh's IPv6 prefix (in site.conf or the domain file)")
    }

    @Test func domainNamesMustIncludeTheFilesOwnCode() throws {
        let error = try siteError(site: "{ site_code = 'ffx', prefix6 = 'p', default_domain = 'a' }",
                                  domains: [("a", "{\n  domain_names = { b = 'B' },\n}")])
        #expect(error?.description == "domains/a.conf:2:3: domain_names must contain the file's own code 'a' (found: b)")
    }

    @Test func anAliasClaimedByTwoDomainsIsAnError() throws {
        let error = try siteError(site: "{ site_code = 'ffx', prefix6 = 'p', default_domain = 'a' }",
                                  domains: [("a", "{ domain_names = { a = 'A', city = 'City' } }"),
                                            ("b", "{ domain_names = { b = 'B', city = 'City' } }")])
        #expect(error?.description == "domains/b.conf:1:29: domain code 'city' is declared by both domain 'a' and domain 'b'")
    }

    @Test func singleDomainSitesIgnoreDomainFilesWithAWarning() throws {
        let site = try GluonSiteLoader.assemble(
            site: try document("{ site_code = 'ffx', prefix6 = 'fd00::/64' }", file: "site.conf"),
            domains: [(code: "a", document: try document("{ domain_names = { a = 'A' } }", file: "domains/a.conf"))])
        #expect(site.domains.map(\.code) == ["ffx"])
        #expect(site.defaultDomainCode == "ffx")
        #expect(site.warnings.map(\.description) == ["warning: site.conf sets no default_domain, so it is a single-domain site; the 1 domain file(s) were ignored"])
    }

    @Test func bothMTUKeysSetDifferentlyIsAWarningAndTheFastdKeyWins() throws {
        let site = try GluonSiteLoader.assemble(
            site: try document("{ site_code = 'ffx', prefix6 = 'p',\n  mesh_vpn = { mtu = 1280, fastd = { mtu = 1312 } } }", file: "site.conf"),
            domains: [])
        #expect(site.domains.first?.meshVPN.fastd?.mtu == GluonMTU(value: 1312, layout: .meshVPNFastd))
        #expect(site.warnings.map(\.description) == ["site.conf:2:16: warning: mesh_vpn.mtu 1280 is overridden by mesh_vpn.fastd.mtu 1312"])
    }

    @Test func nestedPeerGroupsAreReadRecursively() throws {
        let site = try GluonSiteLoader.assemble(site: try document("""
            { site_code = 'ffx', prefix6 = 'p', mesh_vpn = { fastd = { groups = {
              backbone = { limit = 2, peers = { gw1 = { key = 'k1', remotes = { '"gw1.ffx" port 10000' } } },
                groups = { north = { limit = 1, peers = { gw2 = { key = 'k2', remotes = { '10.0.0.2:10000' } } } } } },
            } } } }
            """, file: "site.conf"), domains: [])
        let fastd = try #require(site.domains.first?.meshVPN.fastd)
        #expect(fastd.groups.map(\.name) == ["backbone"])
        #expect(fastd.groups.first?.groups.map(\.name) == ["north"])
        #expect(fastd.groups.first?.groups.first?.limit == 1)
        #expect(fastd.allPeers.map(\.name) == ["gw1", "gw2"])
        #expect(fastd.allPeers.map(\.key) == ["k1", "k2"])
    }

    @Test func unreadableFilesAreOneLineErrors() {
        #expect(throws: GluonSiteError(file: "/nonexistent/site.conf", message: "file does not exist")) {
            _ = try GluonSiteLoader.load(siteConf: URL(fileURLWithPath: "/nonexistent/site.conf"), domains: [])
        }
    }
}

@Suite("GluonSiteLoader: warnings")
struct GluonSiteLoaderWarningTests {
    @Test func aPlaceholderRemoteInSiteConfIsReportedOnceForAllDomains() throws {
        let site = try LuaTableParser.parse("""
            { site_code = 'ffx', default_domain = 'a',
              mesh_vpn = { fastd = { groups = { backbone = { peers = { gw = { remotes = { '"gw" port xxx' } } } } } } } }
            """, file: "site.conf")
        let domains = try ["a", "b", "c"].map { code in
            (code: code, document: try LuaTableParser.parse("{ domain_names = { \(code) = 'X' }, prefix6 = 'fd00::/64' }", file: "domains/\(code).conf"))
        }
        let loaded = try GluonSiteLoader.assemble(site: site, domains: domains)
        #expect(loaded.domains.count == 3)
        #expect(loaded.warnings.map(\.description) == [
            "site.conf:2:79: warning: peer mesh_vpn.fastd.groups.backbone.peers.gw: remote '\"gw\" port xxx': port 'xxx' is not a number",
        ])
    }
}
