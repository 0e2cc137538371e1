import Foundation
@testable import GatewayKit
@testable import GluonKit

/// Every corpus site with its own domain files, loaded or laid out as a Gluon site directory (site.conf + domains/).
enum GluonCorpusSites {
    /// Multidomain corpus sites: the community prefix of their domain files and the codes present.
    static let domainFiles: [String: (community: String, codes: [String])] = [
        "ffmuc-2024-wireguard-multidomain": ("ffmuc", ["ffmuc_welt", "ffmuc_muc_cty"]),
        "tecff-2022-multidomain": ("tecff", ["tecff_legacy", "tecff_default"]),
        "ffmwu-2023-multidomain-alias": ("ffmwu", ["dom0", "ffmz"]),
        "ffh-2023-multidomain-compact": ("ffh", ["dom10", "dom0"]),
    ]

    /// Names of every `*.site.conf` in the corpus, without the suffix.
    static func allNames() throws -> [String] {
        try CorpusLocator.files(in: "gluon-site", suffix: ".site.conf").map { String($0.lastPathComponent.dropLast(".site.conf".count)) }
    }

    static func sources(_ name: String) throws -> [GluonDomainSource] {
        guard let files = domainFiles[name] else { return [] }
        return try files.codes.map { GluonDomainSource(code: $0, url: try CorpusLocator.file("gluon-site/\(files.community)-\($0).domain.conf")) }
    }

    static func load(_ name: String) throws -> GluonSite {
        try GluonSiteLoader.load(siteConf: try CorpusLocator.file("gluon-site/\(name).site.conf"), domains: try sources(name))
    }

    /// Copies the site into `directory/site.conf` and `directory/domains/<code>.conf`, as a Gluon checkout has them.
    static func layOut(_ name: String, in directory: String) throws -> String {
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory + "/domains", withIntermediateDirectories: true)
        try manager.copyItem(at: try CorpusLocator.file("gluon-site/\(name).site.conf"), to: URL(fileURLWithPath: directory + "/site.conf"))
        for source in try sources(name) {
            try manager.copyItem(at: source.url, to: URL(fileURLWithPath: directory + "/domains/\(source.code).conf"))
        }
        return directory + "/site.conf"
    }
}
