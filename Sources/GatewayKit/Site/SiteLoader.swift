import Foundation
import Yams
import GatewayBase

/// A loaded site and the warnings it earned, with every value's position for later messages.
public struct LoadedSite: Sendable {
    public let site: Site
    public let warnings: [Diagnostic]
    /// Where each value was written (`domains.0.prefix4` → `site.yaml:5:14`).
    public let locations: [String: SourceLocation]
}

/// Reads a site YAML file into a validated `Site`, reporting every problem as `FILE:LINE:COL: message`.
public enum SiteLoader {
    public static func load(path: String) throws -> LoadedSite {
        func unreadable(_ reason: String) -> SiteErrors {
            SiteErrors(errors: [SiteError("cannot read the site file: \(reason)", at: nil).withFile(path)])
        }
        // Foundation's own messages here read "error 256"; say what an admin can fix.
        let data: Data
        do { data = try FileAccess.data(at: path) } catch { throw unreadable(error.reason) }
        guard let text = String(data: data, encoding: .utf8) else { throw unreadable("it is not UTF-8 text") }
        return try load(yaml: text, file: path)
    }

    /// The top-level keys a site file may have; a mapping with none of them is some other file.
    static let siteKeys: Set<String> = ["site", "domains", "services", "access", "gateways", "firmware"]

    public static func load(yaml text: String, file: String) throws -> LoadedSite {
        // Editors on Windows start UTF-8 files with a byte order mark, which the YAML parser here refuses.
        let text = text.unicodeScalars.first == "\u{FEFF}" ? String(text.unicodeScalars.dropFirst()) : text
        if let alias = YAMLAliasKeyCheck.firstAliasInKey(text) {
            throw SiteErrors(errors: [SiteError("YAML: a key cannot use an alias (*name)", at: SourceLocation(file: file, line: alias.line, column: alias.column))])
        }
        let root: Node
        do {
            // The reader types every scalar itself; Yams' default resolver would run seven regular expressions
            // on each one (to hash keys for its duplicate check), most of the time it takes to load a large site.
            guard let node = try Yams.compose(yaml: text, .basic) else {
                throw SiteErrors(errors: [SiteError("the site file is empty", at: SourceLocation(file: file, line: 1, column: 1))])
            }
            // A file that is no mapping may be anything (a fastd secret, a shell script): name its kind, never its text.
            guard case .mapping = node else {
                let kind = if case .sequence = node { "a list" } else { "a single text (not key: value lines)" }
                throw SiteErrors(errors: [SiteError("the site file must be a mapping of keys, not \(kind)", at: SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1))])
            }
            // Nor is its first key quoted when none is a site key: /etc/shadow parses as YAML, its first key a password hash.
            guard case .mapping(let mapping) = node, mapping.keys.contains(where: { siteKeys.contains($0.string ?? "") }) else {
                let expected = siteKeys.sorted().joined(separator: ", ")
                throw SiteErrors(errors: [SiteError("this is not a site file: none of its top-level keys is a site key (\(expected))", at: SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1))])
            }
            root = node
        } catch let error as YamlError {
            throw SiteErrors(errors: [syntaxError(error, file: file, text: text)])
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

    static func syntaxError(_ error: YamlError, file: String, text: String) -> SiteError {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _), .composer(let context, let problem, let mark, _):
            if problem == "found character that cannot start any token", character(at: mark, in: text) == "\t" {
                return SiteError("YAML syntax: a tab cannot indent YAML; use spaces", at: at(mark))
            }
            // libyaml's own words here name its C API; the admin needs the limit.
            if problem.hasPrefix("Maximum nesting level reached") { return SiteError("YAML syntax: nested deeper than 1,000 levels", at: at(mark)) }
            guard let context else { return SiteError("YAML syntax: \(problem)", at: at(mark)) }
            // The end of the file says nothing; the quote or bracket that was never closed does.
            if problem.contains("end of stream") { return SiteError("YAML syntax: \(problem) \(context.text)", at: at(context.mark)) }
            let start = (context.mark.line, context.mark.column) == (mark.line, mark.column) ? "" : " started at line \(context.mark.line), column \(context.mark.column)"
            return SiteError("YAML syntax: \(problem) \(context.text)\(start)", at: at(mark))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? "?"
            let location = secondOccurrence(of: key, after: at(context.mark), in: text) ?? at(context.mark)
            return SiteError("'\(key)' is given twice", at: location)
        case .reader(let problem, _, _, _):
            return SiteError("YAML syntax: \(problem)", at: SourceLocation(file: file, line: 1, column: 1))
        case .memory:
            return SiteError("YAML syntax: the parser ran out of memory", at: SourceLocation(file: file, line: 1, column: 1))
        default:
            // Yams' own description quotes the file's text, which may be anything; say what failed, not what it read.
            return SiteError("YAML syntax: the parser failed on this file", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }

    /// libyaml counts columns in Unicode scalars, so positions are looked up the same way.
    private static func character(at mark: Mark, in text: String) -> Unicode.Scalar? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard mark.line >= 1, mark.line <= lines.count else { return nil }
        let line = Array(lines[mark.line - 1].unicodeScalars)
        return mark.column >= 1 && mark.column <= line.count ? line[mark.column - 1] : nil
    }

    /// Yams reports a repeated key at its first spelling; the admin wants the repetition, which in
    /// block style sits on a later line in the same column.
    static func secondOccurrence(of key: String, after first: SourceLocation, in text: String) -> SourceLocation? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard first.line >= 1, first.line <= lines.count else { return nil }
        for number in first.line..<lines.count {
            let line = Array(lines[number].unicodeScalars)
            guard line.count >= first.column else { continue }
            let indent = line[..<(first.column - 1)]
            var rest = String.UnicodeScalarView()
            rest.append(contentsOf: line[(first.column - 1)...])
            let after = String(rest)
            guard indent.allSatisfy({ $0 == " " }), after.hasPrefix(key) else { continue }
            if after.dropFirst(key.count).drop(while: { $0 == " " }).first == ":" {
                return SourceLocation(file: first.file, line: number + 1, column: first.column)
            }
        }
        return nil
    }
}

extension SiteError {
    func withFile(_ file: String) -> SiteError { SiteError("\(file): \(message)", at: nil) }
}
