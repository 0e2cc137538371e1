import Foundation
import Testing
@testable import GatewayKit

/// Reading real files: the path the admin typed is the FILE in `FILE:LINE:COL`, whatever the editor saved.
@Suite struct SiteFileTests {
    /// A fresh folder per test, removed afterwards, so tests run in parallel without sharing files.
    private final class Scratch {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sitetests-\(UUID().uuidString)").path
        init() throws { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: folder) }

        func write(_ name: String, _ bytes: Data) -> String {
            let path = folder + "/" + name
            let written = FileManager.default.createFile(atPath: path, contents: bytes)
            #expect(written, "could not write \(path)")
            return path
        }
    }

    private func errors(loading path: String) -> [String] {
        do {
            _ = try SiteLoader.load(path: path)
            return []
        } catch let error as SiteErrors {
            return error.errors.map(\.description)
        } catch {
            return ["unexpected: \(error)"]
        }
    }

    @Test func errorsNameTheFileAsGiven() throws {
        let scratch = try Scratch()
        let marked = MarkedSite(MinimalSite.with(domains: "domains:\n  - code: ffx\n    prefix4: ⟨10.99.0.1/16\n    prefix6: fd99::/64\n"))
        let path = scratch.write("site.yaml", Data(marked.text.utf8))
        #expect(errors(loading: path) == ["\(path):\(marked.marks[0].line):\(marked.marks[0].column): '10.99.0.1/16' has host bits set; the network is 10.99.0.0/16"])
    }

    @Test func byteOrderMarkIsIgnored() throws {
        let scratch = try Scratch()
        let path = scratch.write("bom.yaml", Data([0xEF, 0xBB, 0xBF]) + Data(MinimalSite.with().utf8))
        #expect(try SiteLoader.load(path: path).site.identity.code == "ffx")
    }

    @Test func windowsLineEndingsKeepPositions() throws {
        let scratch = try Scratch()
        let marked = MarkedSite(MinimalSite.with(domains: "domains:\n  - code: ffx\n    prefix4: 10.99.0.0/16\n    prefix6: fd99::/64\n    mtu: ⟨1500\n"))
        let path = scratch.write("crlf.yaml", Data(marked.text.replacingOccurrences(of: "\n", with: "\r\n").utf8))
        #expect(errors(loading: path) == ["\(path):\(marked.marks[0].line):\(marked.marks[0].column): mtu 1500 is outside what fastd and batman-adv can carry (1280–1426)"])
    }

    @Test func columnsCountCharactersNotBytes() {
        expectSiteErrors(MinimalSite.with(identity: "site: {name: Zweistädte, code: ⟨1ffx}\n"),
                         "'code' '1ffx' may hold only letters, digits, '_' and '-', starting with a letter")
    }

    @Test func unreadableFilesSayWhy() throws {
        let scratch = try Scratch()
        #expect(errors(loading: scratch.folder + "/missing.yaml") == ["\(scratch.folder)/missing.yaml: cannot read the site file: no such file"])
        #expect(errors(loading: scratch.folder) == ["\(scratch.folder): cannot read the site file: it is a directory"])
        let latin1 = scratch.write("latin1.yaml", Data("site: {code: ffx, name: Zweist".utf8) + Data([0xE4]) + Data("dte}\n".utf8))
        #expect(errors(loading: latin1) == ["\(latin1): cannot read the site file: it is not UTF-8 text"])
    }

    @Test func emptyFileOnDisk() throws {
        let scratch = try Scratch()
        let path = scratch.write("empty.yaml", Data())
        #expect(errors(loading: path) == ["\(path):1:1: the site file is empty"])
    }
}
