import Testing
@testable import GatewayKit
@testable import GatewayBase

/// Site YAML with `⟨` wherever a diagnostic must point, like swift-format's 1️⃣ markers, so a test
/// reads as the file an admin wrote and positions need no counting; `⟨⟨` marks two diagnostics at one spot.
struct MarkedSite {
    static let marker: Unicode.Scalar = "⟨"
    static let file = "site.yaml"

    let text: String
    /// Marker positions in text order, counted in Unicode scalars as libyaml counts columns.
    let marks: [SiteSourceLocation]

    init(_ marked: String) {
        var text = String.UnicodeScalarView()
        var marks: [SiteSourceLocation] = []
        var line = 1
        var column = 1
        for scalar in marked.unicodeScalars {
            if scalar == Self.marker {
                marks.append(SiteSourceLocation(file: Self.file, line: line, column: column))
                continue
            }
            text.append(scalar)
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        self.text = String(text)
        self.marks = marks
    }

    /// `FILE:LINE:COL: message` for each marker paired with its message, as the loader prints them.
    func expected(_ messages: [String]) -> [String] {
        zip(marks, messages).map { "\($0): \($1)" }
    }
}

/// The smallest site that loads, in sections, so a test replaces only the section it breaks.
enum MinimalSite {
    static let identity = "site: {code: ffx}\n"
    static let domains = """
        domains:
          - code: ffx
            prefix4: 10.99.0.0/16
            prefix6: fd99::/64

        """
    static let gateways = """
        gateways:
          - name: gw1
            addresses:
              ffx: {ipv4: 10.99.0.1, ipv6: "fd99::1"}

        """

    static func with(identity: String = identity, domains: String = domains, services: String = "",
                     access: String = "", gateways: String = gateways) -> String {
        identity + domains + services + access + gateways
    }
}

/// Loads marked YAML and checks that it fails with exactly these messages, each at its marker (in text order).
func expectSiteErrors(_ marked: String, _ messages: String..., sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let site = MarkedSite(marked)
    guard site.marks.count == messages.count else {
        Issue.record("\(site.marks.count) markers for \(messages.count) messages", sourceLocation: sourceLocation)
        return
    }
    do {
        _ = try SiteLoader.load(yaml: site.text, file: MarkedSite.file)
        Issue.record("the site loaded, but should fail with: \(messages)", sourceLocation: sourceLocation)
    } catch let error as SiteErrors {
        let actual = error.errors.sorted { ($0.location?.line ?? 0, $0.location?.column ?? 0) < ($1.location?.line ?? 0, $1.location?.column ?? 0) }
        #expect(actual.map(\.description) == site.expected(messages), sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected error type: \(error)", sourceLocation: sourceLocation)
    }
}

/// Loads marked YAML and checks that it loads with exactly these warnings, each at its marker.
@discardableResult
func expectSiteWarnings(_ marked: String, _ messages: String..., sourceLocation: Testing.SourceLocation = #_sourceLocation) -> LoadedSite? {
    let site = MarkedSite(marked)
    do {
        let loaded = try SiteLoader.load(yaml: site.text, file: MarkedSite.file)
        let actual = loaded.warnings.map { warning in warning.location.map { "\($0): \(warning.message)" } ?? warning.message }
        #expect(actual == site.expected(messages), sourceLocation: sourceLocation)
        #expect(site.marks.count == messages.count, "markers and messages differ in number", sourceLocation: sourceLocation)
        return loaded
    } catch {
        Issue.record("the site should load, but: \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
