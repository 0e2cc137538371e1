import Foundation
import Testing
@testable import GatewayKit
@testable import GatewayBase
@testable import GluonKit
import TestSupport

/// The round trip judged by Gluon's own Lua: Debian's lua5.1 loads the original and the exported site with
/// Tests/oracle/gluon-site-dump.lua (`return ` + file in an empty environment, domains merged over the site),
/// and every line that differs must have been announced by import and reported by check at the firmware's file:line.
enum GluonOracle {
    static let dumper = TestPaths.repository + "/Tests/oracle/gluon-site-dump.lua"

    /// The canonical lines of a site directory (site.conf and domains/*.conf), as Gluon's Lua sees them.
    static func dump(_ directory: String) throws -> [String] {
        let domains = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/domains"))?.filter { $0.hasSuffix(".conf") }.sorted() ?? []
        let run = try runCommand(["lua5.1", dumper, directory + "/site.conf"] + domains.map { directory + "/domains/" + $0 })
        try #require(run.status == 0, "lua5.1 cannot load \(directory): \(run.error)")
        return run.output.split(separator: "\n").map(String.init)
    }

    /// Writes export's fragments as a Gluon site directory.
    static func write(_ fragments: [GluonExportFragment], to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory + "/domains", withIntermediateDirectories: true)
        for fragment in fragments {
            try LuaTablePrinter().print(fragment.table).write(toFile: directory + "/" + fragment.file, atomically: true, encoding: .utf8)
        }
    }

    /// One line present on one side only, with the domain it belongs to.
    struct Difference: CustomStringConvertible {
        var domain: String
        var line: String
        var side: String
        var description: String { "domain \(domain): \(side) only: \(line)" }
    }

    /// A prefix as the network it names: `fdef:ffc0:4ffa:0::/64` and `fdef:ffc0:4ffa::/64` are one value to every node.
    static func canonical(_ line: String) -> String {
        for (key, parse) in [("prefix6 ", { IPv6Network($0, strict: true)?.description }), ("prefix4 ", { IPv4Network($0, strict: true)?.description })] as [(String, (String) -> String?)] {
            guard line.hasPrefix(key + "\""), line.hasSuffix("\""), let network = parse(String(line.dropFirst(key.count + 1).dropLast())) else { continue }
            return key + "\"" + network + "\""
        }
        return line
    }

    /// Lines of each side missing from the other, per domain, in order.
    static func differences(original: [String], exported: [String]) -> [Difference] {
        func byDomain(_ lines: [String]) -> [(String, String)] {
            var domain = "(site)"
            return lines.map { line in
                if line.hasPrefix("domain ") { domain = String(line.dropFirst(7)) }
                return (domain, canonical(line))
            }
        }
        let left = byDomain(original), right = byDomain(exported)
        let leftSet = Set(left.map { "\($0.0)\u{0}\($0.1)" }), rightSet = Set(right.map { "\($0.0)\u{0}\($0.1)" })
        return left.filter { !rightSet.contains("\($0.0)\u{0}\($0.1)") }.map { Difference(domain: $0.0, line: $0.1, side: "firmware") }
            + right.filter { !leftSet.contains("\($0.0)\u{0}\($0.1)") }.map { Difference(domain: $0.0, line: $0.1, side: "export") }
    }

    /// Where in the original files a differing line's value is written (or its nearest written parent);
    /// a peer's differing remotes all point at its first differing remote, where import and check point too.
    static func location(of difference: Difference, among all: [Difference], in gluon: GluonSite) -> GatewayBase.SourceLocation? {
        let words = difference.line.split(separator: " ").map(String.init)
        guard let kind = words.first else { return nil }
        let domain = gluon.domains.first { $0.code == difference.domain } ?? gluon.domains.first
        switch kind {
        case "default_domain", "domain_names", "domain":
            return gluon.siteTable.location(forKey: "default_domain") ?? domain?.config.location(at: ["domain_names"])
        case "site_code", "prefix4", "prefix6":
            return domain?.config.location(at: [.string(kind)])
        default:
            break
        }
        guard let domain, words.count > 1 else { return nil }
        var path: [LuaKey] = words[1].split(separator: ".").map { .string(String($0)) }
        switch kind {
        case "peer": path.append("key")
        case "group": path.append("limit")
        case "methods": path.append("methods")
        case "remote":
            let indices = all.filter { $0.domain == difference.domain && $0.line.hasPrefix("remote \(words[1]) ") }
                .compactMap { Int($0.line.split(separator: " ")[2]) }
            let peerName = words[1].split(separator: ".").last.map(String.init)
            if let peer = domain.meshVPN.fastd?.allPeers.first(where: { $0.name == peerName }) {
                let first = (indices.min() ?? 1) - 1
                return (peer.remotes.indices.contains(first) ? peer.remotes[first].location : nil) ?? peer.remotes.last?.location ?? peer.location
            }
        default: break
        }
        while !path.isEmpty {
            if let location = domain.config.location(at: path) { return location }
            path.removeLast()
        }
        return domain.config.location(at: ["mesh_vpn"]) ?? domain.config.location(at: ["fastd_mesh_vpn"]) ?? domain.config.location(at: ["prefix6"])
    }

    static func fileLine(_ location: GatewayBase.SourceLocation) -> String { "\(location.file):\(location.line):" }
}
