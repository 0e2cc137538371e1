import Foundation
import GatewayBase

/// A domain file and the code its name gives it (`domains/<code>.conf`).
public struct GluonDomainSource: Sendable, Equatable {
    public var code: String
    public var url: URL

    public init(code: String, url: URL) {
        self.code = code
        self.url = url
    }
}

/// Loads a Gluon site directory the way Gluon's build does: site.conf, plus domains/*.conf for multidomain sites.
public enum GluonSiteLoader {
    /// Loads site.conf and, when it sets `default_domain`, every `*.conf` in `domainsDirectory`
    /// (nil: the `domains` folder beside site.conf).
    /// Throws `GluonParseError` for syntax, `GluonSiteError` for anything else.
    public static func load(siteConf: URL, domainsDirectory: URL? = nil) throws -> GluonSite {
        let directory = domainsDirectory ?? siteConf.deletingLastPathComponent().appendingPathComponent("domains", isDirectory: true)
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory)
        if domainsDirectory != nil, !(exists && isDirectory.boolValue) {
            throw GluonSiteError(file: directory.relativePath, message: "domains directory does not exist")
        }
        var sources: [GluonDomainSource] = []
        if exists, isDirectory.boolValue {
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            for name in names.sorted() where name.hasSuffix(".conf") {
                sources.append(GluonDomainSource(code: String(name.dropLast(5)), url: directory.appendingPathComponent(name)))
            }
        }
        return try load(siteConf: siteConf, domains: sources)
    }

    /// Loads site.conf with an explicit list of domain files (for files not named `<code>.conf`).
    public static func load(siteConf: URL, domains: [GluonDomainSource]) throws -> GluonSite {
        let site = try LuaTableParser.parse(contentsOf: siteConf)
        var documents: [(code: String, document: LuaDocument)] = []
        for source in domains {
            documents.append((source.code, try LuaTableParser.parse(contentsOf: source.url)))
        }
        return try assemble(site: site, domains: documents)
    }

    /// Builds the site from parsed files without touching the file system.
    public static func assemble(site: LuaDocument, domains: [(code: String, document: LuaDocument)]) throws(GluonSiteError) -> GluonSite {
        let root = GluonFieldReader(site.table, file: site.file)
        guard let siteCode = try root.string("site_code") else {
            throw root.missing("site_code", why: "Gluon needs the community's short code")
        }
        var warnings = site.warnings + domains.flatMap(\.document.warnings)
        var extractor = GluonDomainExtractor()
        let defaultDomainName = try root.string("default_domain")

        var result = GluonSite(
            siteCode: siteCode,
            siteName: try root.string("site_name"),
            domainSeed: try root.string("domain_seed"),
            timezone: unusedTimezone(root, warnings: &warnings),
            ntpServers: try root.stringList("ntp_servers") ?? [],
            dnsServers: try root.table("dns")?.stringList("servers") ?? [],
            isMultidomain: defaultDomainName != nil,
            defaultDomainName: defaultDomainName,
            defaultDomainCode: siteCode,
            domains: [],
            siteTable: site.table,
            warnings: []
        )

        guard let defaultDomainName else {
            if !domains.isEmpty {
                warnings.append(Diagnostic.warning(location: nil, message: "\(site.file) sets no default_domain, so it is a single-domain site; the \(domains.count) domain file(s) were ignored"))
            }
            result.domains = [try extractor.extract(code: siteCode, names: [], config: site.table, file: site.file)]
            result.warnings = unique(warnings + extractor.warnings)
            return result
        }

        guard !domains.isEmpty else {
            throw GluonSiteError(file: site.file, location: root.location("default_domain"),
                                 message: "default_domain '\(defaultDomainName)' makes this a multidomain site, but no domain files (domains/*.conf) were given")
        }
        let sorted = domains.sorted { $0.code < $1.code }
        var owner: [String: String] = [:]
        var namesByCode: [String: [GluonDomainName]] = [:]
        for (code, document) in sorted {
            let names = try domainNames(of: document, code: code)
            for name in names {
                if let other = owner[name.code], other != code {
                    throw GluonSiteError(file: document.file, location: document.table.value(at: ["domain_names"])?.tableValue?.location(forKey: .string(name.code)),
                                         message: "domain code \(Echo.quoted(name.code)) is declared by both domain \(Echo.quoted(other)) and domain \(Echo.quoted(code))")
                }
                owner[name.code] = code
            }
            namesByCode[code] = names
        }
        guard let defaultCode = owner[defaultDomainName] else {
            let known = owner.keys.sorted().joined(separator: ", ")
            throw GluonSiteError(file: site.file, location: root.location("default_domain"),
                                 message: "default_domain \(Echo.quoted(defaultDomainName)) is neither a domain file nor an alias in any domain's domain_names (known codes: \(known))")
        }
        result.defaultDomainCode = defaultCode
        for (code, document) in sorted {
            let merged = GluonMerge.merge(site: site.table, domain: document.table)
            result.domains.append(try extractor.extract(code: code, names: namesByCode[code] ?? [], config: merged, file: document.file))
        }
        result.warnings = unique(warnings + extractor.warnings)
        return result
    }

    /// gwsetup takes the gateways' time zone from the site file, so a bad `timezone` here is only a warning.
    private static func unusedTimezone(_ root: GluonFieldReader, warnings: inout [Diagnostic]) -> String? {
        do {
            return try root.string("timezone")
        } catch {
            warnings.append(Diagnostic.warning(location: error.location, message: "\(error.message); gwsetup does not use timezone, so it was skipped"))
            return nil
        }
    }

    /// Site-wide values are seen once per domain after merging; report each problem once.
    private static func unique(_ warnings: [Diagnostic]) -> [Diagnostic] {
        var seen: Set<String> = []
        return warnings.filter { seen.insert($0.description).inserted }
    }

    /// `domain_names` and `hide_domain` of one domain file; Gluon requires the file's own code among the names.
    private static func domainNames(of document: LuaDocument, code: String) throws(GluonSiteError) -> [GluonDomainName] {
        let root = GluonFieldReader(document.table, file: document.file)
        guard let namesTable = try root.table("domain_names") else {
            throw root.missing("domain_names", why: "every domain file must name its domain code \(Echo.quoted(code))")
        }
        var hidden: Set<String> = []
        var hideAll = false
        if let value = document.table["hide_domain"] {
            if case .boolean(let flag) = value {
                hideAll = flag
            } else if let codes = try root.stringList("hide_domain") {
                hidden = Set(codes)
            }
        }
        var names: [GluonDomainName] = []
        for entry in namesTable.table.luaEntries {
            guard case .string(let alias) = entry.key else {
                throw namesTable.typeError(entry.key, expected: "keyed by a domain code", found: entry.value)
            }
            guard case .string(let displayName) = entry.value else {
                throw namesTable.typeError(entry.key, expected: "a string (the name shown in config mode)", found: entry.value)
            }
            // Domain codes name files on the nodes and interfaces on the gateways; the display name is shown in config mode.
            guard GluonFieldReader.isPeerName(alias) else {
                throw GluonSiteError(file: document.file, location: namesTable.location(entry.key),
                                     message: "domain_names has the code \(Echo.quoted(alias)); a domain code is 1 to 63 letters, digits, '.', '_' and '-'")
            }
            try namesTable.refuseControlCharacters(displayName, at: entry.key)
            names.append(GluonDomainName(code: alias, displayName: displayName, isHidden: hideAll || hidden.contains(alias)))
        }
        guard names.contains(where: { $0.code == code }) else {
            throw GluonSiteError(file: document.file, location: root.location("domain_names"),
                                 message: "domain_names must contain the file's own code \(Echo.quoted(code)) (found: \(names.map(\.code).joined(separator: ", ")))")
        }
        return names
    }
}
