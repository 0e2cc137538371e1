import Foundation
import Testing
import Yams
@testable import GatewayKit
@testable import FirewallKit
import TestSupport

/// SITE-REFERENCE.md must stay exact: its examples load, its tables name every key the reader knows
/// and no key it does not, and its defaults are the code's.
@Suite struct SiteReferenceTests {
    let reference: String

    init() throws {
        reference = try String(contentsOfFile: TestPaths.repository + "/SITE-REFERENCE.md", encoding: .utf8)
    }

    /// The first ```yaml block after a heading.
    private func example(after heading: String) throws -> String {
        let section = try #require(reference.range(of: "\n## \(heading)\n"))
        let start = try #require(reference.range(of: "```yaml\n", range: section.upperBound..<reference.endIndex))
        let end = try #require(reference.range(of: "```", range: start.upperBound..<reference.endIndex))
        return String(reference[start.upperBound..<end.lowerBound])
    }

    /// Table rows as (key path, default cell), for rows whose key is a dotted path.
    private var documentedKeys: [(path: String, defaultValue: String)] {
        reference.split(separator: "\n").compactMap { line in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 5, cells[1].hasPrefix("`"), cells[1].hasSuffix("`"), cells[1].contains(".") else { return nil }
            return (String(cells[1].dropFirst().dropLast()), cells[3])
        }
    }

    @Test func minimalExampleLoadsWithTheDefaultsItDescribes() throws {
        let loaded = try SiteLoader.load(yaml: try example(after: "Minimal example"), file: "minimal")
        #expect(loaded.warnings.isEmpty)
        let site = loaded.site
        let domain = site.domains[0]
        #expect(site.gateways[0].connection == .local && site.gateways[0].uplink == "eth0")
        #expect(domain.fastd.port == 10000 && domain.mtu == 1312 && domain.dhcp.leaseTime == 600)
        #expect(DHCPPool.ranges(for: domain, in: site)["gw1"]?.description == "10.99.1.0-10.99.31.255")
        #expect(site.access.sshPort == 22 && site.access.sshAllowedSources.map(\.description) == ["0.0.0.0/0", "::/0"] && site.services.fail2ban.enabled)
    }

    @Test func fullExampleLoadsWithTheRangesItDescribes() throws {
        // As if saved in site-examples/, beside the folder of node keys its WireGuard domain names.
        let loaded = try SiteLoader.load(yaml: try example(after: "Full example"), file: "site-examples/full.yaml")
        #expect(loaded.warnings.isEmpty)
        let site = loaded.site
        let city = try #require(site.domain("city"))
        let rural = try #require(site.domain("rural-east"))
        #expect(DHCPPool.ranges(for: city, in: site).mapValues(\.description) == ["gw1": "10.40.64.0-10.40.71.255", "gw2": "10.40.72.0-10.40.79.255"])
        #expect(DHCPPool.ranges(for: rural, in: site).mapValues(\.description) == ["gw1": "10.41.1.0-10.41.7.255", "gw2": "10.41.32.0-10.41.63.254"])
        #expect(rural.bridgeInterface == "br-rural")
    }

    @Test func fullExampleUsesExactlyTheDocumentedKeys() throws {
        let root = try #require(try Yams.compose(yaml: try example(after: "Full example")))
        var used: Set<String> = []
        collectLeafPaths(root, path: "", into: &used)
        #expect(used == Set(documentedKeys.map(\.path)))
    }

    /// Key paths as the reference writes them: `[]` for list items, `<domain>`/`<name>` for the admin's own keys.
    private func collectLeafPaths(_ node: Node, path: String, into paths: inout Set<String>) {
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping {
                let name = path.hasSuffix(".addresses") ? "<domain>" : path.hasSuffix(".local_records") ? "<name>" : path.hasSuffix(".domain_names") ? "<code>" : key.string ?? "?"
                collectLeafPaths(value, path: path.isEmpty ? name : "\(path).\(name)", into: &paths)
            }
        case .sequence(let sequence) where sequence.contains(where: { if case .mapping = $0 { true } else { false } }):
            for item in sequence { collectLeafPaths(item, path: path + "[]", into: &paths) }
        default:
            paths.insert(path)
        }
    }

    /// SiteReader.swift and its extensions (`SiteReader+Exit.swift`, …), so a section read in its own file is held too.
    @Test func everyKeyTheReaderKnowsIsDocumented() throws {
        let folder = TestPaths.repository + "/Sources/GatewayKit/Site"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("SiteReader") && $0.hasSuffix(".swift") }.sorted()
        #expect(files.contains("SiteReader+Exit.swift"))
        let source = try files.map { try String(contentsOfFile: folder + "/" + $0, encoding: .utf8) }.joined(separator: "\n")
        var known: Set<String> = []
        var rest = source[...]
        while let start = rest.range(of: "knownKeys: [") {
            let end = try #require(rest[start.upperBound...].firstIndex(of: "]"))
            for item in rest[start.upperBound..<end].split(separator: ",") {
                known.insert(item.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
            }
            rest = rest[end...]
        }
        #expect(known.count > 40)
        let documented = Set(documentedKeys.flatMap { $0.path.split(separator: ".").map { String($0.replacingOccurrences(of: "[]", with: "")) } })
            .union(["site", "domains", "services", "access", "gateways"])
        #expect(known.subtracting(documented).isEmpty, "undocumented keys: \(known.subtracting(documented).sorted())")
    }

    @Test func documentedDefaultsAreTheCodes() throws {
        let defaults = Dictionary(documentedKeys.map { ($0.path, $0.defaultValue) }, uniquingKeysWith: { first, _ in first })
        let expected: [String: String] = [
            "site.timezone": SiteDefaults.timezone,
            "domains[].mtu": "\(SiteDefaults.mtu)",
            "domains[].fastd.port": "\(SiteDefaults.fastdBasePort)",
            "domains[].fastd.methods": "[\(SiteDefaults.fastdMethods.joined(separator: ", "))]",
            "domains[].batman.routing_algo": SiteDefaults.routingAlgorithm.rawValue,
            "domains[].batman.gw_bandwidth": SiteDefaults.gatewayBandwidth,
            "domains[].batman.hop_penalty": "\(SiteDefaults.hopPenalty)",
            "domains[].batman.orig_interval": "\(SiteDefaults.originatorInterval)",
            "domains[].dhcp.lease_time": "\(SiteDefaults.dhcpLeaseTime)",
            "services.ntp.servers": "[\(SiteDefaults.ntpServers.joined(separator: ", "))]",
            "services.fail2ban.sshd.maxretry": "\(SiteDefaults.fail2banMaxRetry)",
            "services.fail2ban.sshd.bantime": SiteDefaults.fail2banBanTime,
            "services.fail2ban.sshd.findtime": SiteDefaults.fail2banFindTime,
            "access.ssh_port": "\(SiteDefaults.sshPort)",
            "gateways[].uplink": SiteDefaults.uplink,
            "exit.mtu": "\(ExitTunnel.defaultMTU)",
            "exit.keepalive": "\(ExitTunnel(endpoint: ExitEndpoint(host: "x", port: 1), publicKey: WireGuardPublicKey(ExitFixture.serverKey)!).keepalive)",
            "exit.fallback": ExitTunnel.Fallback.none.rawValue,
        ]
        for (path, value) in expected {
            let cell = try #require(defaults[path], "\(path) is not in the reference")
            #expect(cell.hasPrefix("`\(value)`"), "\(path): reference says \(cell), code says \(value)")
        }
    }
}
