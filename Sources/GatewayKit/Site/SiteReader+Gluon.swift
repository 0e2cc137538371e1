import GatewayBase
import GluonKit

/// The firmware facts `gluon import` keeps so `gluon export` writes the site back as the firmware had it:
/// generation, multidomain layout, domain aliases, peer groups, Gluon peer names and remotes with their fallbacks.
extension SiteReader {
    /// Layout and default domain describe the whole firmware; names, hiding and groups describe one domain.
    static func gluonFirmwareKeys(at path: String) -> [String] {
        path == "firmware" ? ["layout", "default_domain"] : ["domain_names", "hide_domain", "peer_groups"]
    }

    mutating func readGluonFirmware(_ map: YAMLMapping, into settings: inout FirmwareSettings) throws {
        if let value = map["layout"] {
            let text = try value.string(.firmwareLayout)
            guard let layout = GluonFirmwareLayout(rawValue: text) else {
                throw value.error("layout \(Echo.quoted(text)) is not one of \(GluonFirmwareLayout.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            settings.layout = layout
            note(value)
        }
        if let value = map["default_domain"] { settings.defaultDomain = try gluonDomainCode(value, .firmwareDefaultDomain); note(value) }
        if let value = map["domain_names"] {
            note(value)
            settings.domainNames = try value.pairs(keys: .domainFirmwareDomainNames).map { key, name in
                let code = try gluonDomainCode(key, .domainFirmwareDomainNames)
                return FirmwareDomainName(code: code, displayName: try name.string(.domainFirmwareDisplayName))
            }
        }
        if let value = map["hide_domain"] {
            note(value)
            settings.hiddenDomainNames = try value.sequence().map { try gluonDomainCode($0, .domainFirmwareHideDomain) }
        }
        if let value = map["peer_groups"] {
            note(value)
            var groups: [FirmwarePeerGroup] = []
            for item in try value.sequence() {
                let entry = try item.mapping(knownKeys: ["name", "limit"])
                let nameValue = try entry.required("name")
                let path = try groupPath(nameValue, .domainFirmwarePeerGroupName)
                guard !groups.contains(where: { $0.path == path }) else { throw nameValue.error("peer group \(Echo.quoted(path.joined(separator: "/"))) is given twice") }
                if path.count > 1, !groups.contains(where: { $0.path == Array(path.dropLast()) }) {
                    throw nameValue.error("peer group \(Echo.quoted(path.joined(separator: "/"))) comes before its parent \(Echo.quoted(path.dropLast().joined(separator: "/")))")
                }
                groups.append(FirmwarePeerGroup(path: path, limit: try entry["limit"]?.int(in: 1...64)))
                note(nameValue)
            }
            settings.peerGroups = groups
        }
    }

    mutating func readGluonPeerFields(_ entryMap: YAMLMapping, into domain: inout GatewayDomain) throws {
        if let value = entryMap["remotes"] {
            note(value)
            domain.firmwareRemotes = try value.sequence().map { item in
                let text = try item.string(.gatewayFirmwareRemotes)
                if case .failure(let problem) = Result(catching: { () throws(GluonRemoteError) in try GluonRemote.parse(text) }) {
                    throw item.error("remote \(Echo.quoted(text)): \(problem.message)")
                }
                return text
            }
        }
        if let value = entryMap["peer_group"] { domain.peerGroup = try groupPath(value, .gatewayPeerGroup); note(value) }
    }

    mutating func gluonPeerName(_ value: YAMLValue, _ field: SiteField = .gatewayGluonPeer) throws -> String {
        let name = try value.string(field)
        guard GluonNameGrammar.isGluonName(name) else {
            throw value.error("\(field == .gatewayGluonPeer ? "gluon_peer" : "gluon_wireguard_peer") \(Echo.quoted(name)) is not a name Gluon's site check accepts (1 to 63 letters, digits and '_')")
        }
        note(value)
        return name
    }

    private func gluonDomainCode(_ value: YAMLValue, _ field: SiteField) throws -> String {
        let code = try value.string(field)
        let fits = !code.isEmpty && code.utf8.count <= 63 && code.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0))
        }
        guard fits else { throw value.error("\(Echo.quoted(code)) is not a Gluon domain code (1 to 63 letters, digits, '.', '_' and '-')") }
        return code
    }

    private func groupPath(_ value: YAMLValue, _ field: SiteField) throws -> [String] {
        let text = try value.string(field)
        let path = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard path.allSatisfy(GluonNameGrammar.isGluonName) else {
            throw value.error("peer group \(Echo.quoted(text)) is not Gluon group names (letters, digits, '_') joined by '/'")
        }
        return path
    }
}
