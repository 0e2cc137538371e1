import Foundation
import Testing
@testable import GatewayKit
import TestSupport

/// Every string key SITE-REFERENCE.md documents has a grammar in `SiteField`, the only way SiteReader reads a
/// string, so a key added later cannot reach a config unchecked.
@Suite struct SiteFieldRegistryTests {
    /// Reference table rows as (key path, type cell).
    private func documentedRows() throws -> [(path: String, type: String)] {
        let reference = try String(contentsOfFile: TestPaths.repository + "/SITE-REFERENCE.md", encoding: .utf8)
        return reference.split(separator: "\n").compactMap { line in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 5, cells[1].hasPrefix("`"), cells[1].hasSuffix("`"), cells[1].contains(".") else { return nil }
            return (String(cells[1].dropFirst().dropLast()), cells[2])
        }
    }

    /// Numbers, booleans and mappings are typed by YAML itself; everything else is written as a string.
    private func isStringValued(_ type: String) -> Bool {
        !["integer", "boolean", "mapping", "list of mappings"].contains { type.hasPrefix($0) }
    }

    @Test func everyDocumentedStringKeyHasAGrammar() throws {
        let rows = try documentedRows()
        #expect(rows.count > 40)
        let registered = Set(SiteField.allCases.map(\.rawValue))
        let missing = rows.filter { isStringValued($0.type) && !registered.contains($0.path) }.map(\.path)
        #expect(missing.isEmpty, "string keys of SITE-REFERENCE.md without a grammar in SiteField: \(missing)")
    }

    /// A registered field is a documented key, or the mapping whose keys it checks (`local_records`, `addresses`).
    @Test func everyGrammarBelongsToADocumentedKey() throws {
        let paths = try documentedRows().map(\.path)
        let stray = SiteField.allCases.filter { field in !paths.contains { $0 == field.rawValue || $0.hasPrefix(field.rawValue + ".<") } }
        #expect(stray.isEmpty, "SiteField entries the reference does not document: \(stray.map(\.rawValue))")
    }

    /// No string leaves a YAML node in SiteReader except through `string(_ field:)`.
    @Test func siteReaderReadsNoScalarDirectly() throws {
        let source = try String(contentsOfFile: TestPaths.repository + "/Sources/GatewayKit/Site/SiteReader.swift", encoding: .utf8)
        #expect(!source.contains("scalar.string"))
        #expect(!source.contains(".string()"))
    }

    @Test func everyGrammarRefusesControlCharactersAndTheReferenceStatesIt() throws {
        let reference = try String(contentsOfFile: TestPaths.repository + "/SITE-REFERENCE.md", encoding: .utf8)
        #expect(reference.contains("No control characters anywhere"))
        for scalar in ["\n", "\r", "\t", "\u{0}", "\u{1B}", "\u{85}", "\u{202E}", "\u{2028}"] as [Unicode.Scalar] {
            #expect(FieldGrammar.isForbidden(scalar), "U+\(String(scalar.value, radix: 16))")
        }
    }

    @Test func timezoneNamesComeFromTzdata() {
        #expect(TimeZoneNames.all.contains("Europe/Berlin") && TimeZoneNames.all.contains("Etc/UTC") && TimeZoneNames.all.contains("UTC"))
        #expect(TimeZoneNames.all.count > 500)
        #expect(!TimeZoneNames.all.contains("../../etc/passwd") && !TimeZoneNames.all.contains(""))
    }
}
