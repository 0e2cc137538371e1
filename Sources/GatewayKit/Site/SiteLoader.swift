import Foundation
import Yams

/// A loaded site and the warnings it earned, with every value's position for later messages.
public struct LoadedSite: Sendable {
    public let site: Site
    public let warnings: [SiteWarning]
    /// Where each value was written (`domains.0.prefix4` → `site.yaml:5:14`).
    public let locations: [String: SourceLocation]
}

/// Reads a site YAML file into a validated `Site`, reporting every problem as `FILE:LINE:COL: message`.
public enum SiteLoader {
    public static func load(path: String) throws -> LoadedSite {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw SiteErrors(errors: [SiteError("cannot read the site file: \((error as NSError).localizedDescription)", at: nil).withFile(path)])
        }
        return try load(yaml: text, file: path)
    }

    public static func load(yaml text: String, file: String) throws -> LoadedSite {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw SiteErrors(errors: [SiteError("the site file is empty", at: SourceLocation(file: file, line: 1, column: 1))])
            }
            root = node
        } catch let error as YamlError {
            throw SiteErrors(errors: [syntaxError(error, file: file)])
        }
        var reader = SiteReader(file: file)
        let site: Site
        do {
            site = try reader.readSite(YAMLValue(node: root, file: file, path: ""))
        } catch let error as SiteError {
            throw SiteErrors(errors: [error])
        }
        let validation = SiteValidator(site: site, locations: reader.locations, file: file).validate()
        guard validation.errors.isEmpty else { throw SiteErrors(errors: validation.errors) }
        return LoadedSite(site: site, warnings: validation.warnings, locations: reader.locations)
    }

    static func syntaxError(_ error: YamlError, file: String) -> SiteError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return SiteError("YAML syntax: \(problem)", at: SourceLocation(file: file, line: mark.line, column: mark.column))
        case .reader(let problem, _, _, _):
            return SiteError("YAML syntax: \(problem)", at: SourceLocation(file: file, line: 1, column: 1))
        default:
            return SiteError("YAML syntax: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }
}

extension SiteError {
    func withFile(_ file: String) -> SiteError { SiteError("\(file): \(message)", at: nil) }
}
